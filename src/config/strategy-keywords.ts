import { z } from 'zod';
import { inputError, type SourceLocation } from '../errors.js';
import { fixedFlag, flag } from './flag.js';
import { type Count, parseCount } from './task-limits.js';

/**
 * The keywords that decide where, on how many hosts at once and in which order tasks run:
 * `strategy` and `order` (plays), `run_once`, `delegate_to`, `delegate_facts` (tasks),
 * `throttle`, `any_errors_fatal`, `ignore_unreachable` (both). Their shapes live here so the
 * playbook schema takes them in one line each.
 */

export type StrategyName = 'linear' | 'free';
export const STRATEGIES: readonly StrategyName[] = ['linear', 'free'];

export const HOST_ORDERS = ['inventory', 'reverse_inventory', 'sorted', 'reverse_sorted', 'shuffle'] as const;
export type HostOrder = (typeof HOST_ORDERS)[number];

export const strategyTaskKeywords = {
  /** A boolean, or a template rendered on the host that reaches the task first. */
  run_once: flag.optional(),
  delegate_to: z.string().min(1).optional(),
  delegate_facts: flag.optional(),
  // Checked by parseCount, which says what a good value looks like.
  throttle: z.unknown().optional(),
  any_errors_fatal: flag.optional(),
  ignore_unreachable: flag.optional(),
};

export const strategyPlayKeywords = {
  // Checked by parsePlayStrategy: an unsupported strategy is named, not called a typo.
  strategy: z.string().optional(),
  order: z.string().optional(),
  throttle: z.unknown().optional(),
  ignore_unreachable: flag.optional(),
};

export interface TaskStrategy {
  runOnce?: boolean | string;
  delegateTo?: string;
  delegateFacts: boolean;
  throttle?: Count;
  anyErrorsFatal?: boolean;
  ignoreUnreachable?: boolean;
}

export interface PlayStrategy {
  name: StrategyName;
  order: HostOrder;
  throttle?: Count;
  ignoreUnreachable: boolean;
}

type RawTask = { [K in keyof typeof strategyTaskKeywords]?: z.infer<(typeof strategyTaskKeywords)[K]> };
type RawPlay = { [K in keyof typeof strategyPlayKeywords]?: z.infer<(typeof strategyPlayKeywords)[K]> };

const THROTTLE_HINT = 'write throttle: 2 (hosts running this task at once; 0 for no limit), or a "{{ variable }}"';

function throttle(value: unknown, location: SourceLocation): Count | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    return parseCount('throttle', value, location);
  } catch {
    throw inputError(`throttle must be a whole number of hosts, got ${JSON.stringify(value)}`, location, THROTTLE_HINT);
  }
}

export function parseTaskStrategy(kw: RawTask, locate: (keyword: string) => SourceLocation): TaskStrategy {
  return {
    runOnce: kw.run_once,
    delegateTo: kw.delegate_to,
    delegateFacts: fixedFlag(kw.delegate_facts, 'delegate_facts', locate('delegate_facts')) ?? false,
    throttle: throttle(kw.throttle, locate('throttle')),
    anyErrorsFatal: fixedFlag(kw.any_errors_fatal, 'any_errors_fatal', locate('any_errors_fatal')),
    ignoreUnreachable: fixedFlag(kw.ignore_unreachable, 'ignore_unreachable', locate('ignore_unreachable')),
  };
}

export function parsePlayStrategy(kw: RawPlay, locate: (keyword: string) => SourceLocation): PlayStrategy {
  const name = (kw.strategy ?? 'linear').replace(/^ansible\.builtin\./, '');
  if (!(STRATEGIES as readonly string[]).includes(name)) {
    throw inputError(
      `strategy: ${kw.strategy} is not supported; provision supports ${STRATEGIES.join(' and ')}`,
      locate('strategy'),
      'remove the keyword for linear (every host finishes a task before the next task starts), or write strategy: free',
    );
  }
  const order = kw.order ?? 'inventory';
  if (!(HOST_ORDERS as readonly string[]).includes(order)) {
    throw inputError(`order: ${order} is not one of ${HOST_ORDERS.join(', ')}`, locate('order'), 'write order: sorted, for example');
  }
  return {
    name: name as StrategyName,
    order: order as HostOrder,
    throttle: throttle(kw.throttle, locate('throttle')),
    ignoreUnreachable: fixedFlag(kw.ignore_unreachable, 'ignore_unreachable', locate('ignore_unreachable')) ?? false,
  };
}

/** The play's hosts in the order its `order` keyword asks for, before `serial` cuts them in batches. */
export function orderHosts(names: readonly string[], order: HostOrder, random: () => number = Math.random): string[] {
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  switch (order) {
    case 'inventory':
      return [...names];
    case 'reverse_inventory':
      return [...names].reverse();
    case 'sorted':
      return [...names].sort(byName);
    case 'reverse_sorted':
      return [...names].sort(byName).reverse();
    case 'shuffle': {
      const out = [...names];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [out[i], out[j]] = [out[j] as string, out[i] as string];
      }
      return out;
    }
  }
}
