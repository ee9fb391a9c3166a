import { z } from 'zod';
import { serviceList } from '../reads/service-list.js';
import { defineModule } from './types.js';

export const serviceFacts = defineModule({
  name: 'service_facts',
  schema: z.strictObject({}),
  async plan({ reader }) {
    const services = await reader.get(serviceList, {});
    if (Object.keys(services).length === 0) {
      const msg = 'Failed to find any services. This can be due to privileges or some other configuration issue.';
      return { changes: [], skipped: msg };
    }
    return { changes: [], hostFacts: { services }, data: { ansible_facts: { services } } };
  },
});
