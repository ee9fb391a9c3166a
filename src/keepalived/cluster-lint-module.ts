import { z } from 'zod';
import { defineModule } from '../modules/types.js';
import { lintCluster } from './lint.js';
import { hostsNodes } from './model.js';

/**
 * `keepalived_cluster_lint: {}`: a playbook asks for the cluster lint with this task. The engine
 * runs the lint over the play's hosts before it contacts any of them; at run time the task is a
 * no-op that costs no round trip.
 */
export const keepalivedClusterLint = defineModule({
  name: 'keepalived_cluster_lint',
  schema: z.object({}).strict().describe("Checks the VRRP cluster of the play's hosts before any connection (as `provision lint` does)."),
  async plan() {
    return { changes: [], msg: 'the cluster was checked before the run' };
  },
  loadCheck: (hosts) => lintCluster(hostsNodes(hosts)),
});
