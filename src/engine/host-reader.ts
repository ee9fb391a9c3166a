import { randomBytes } from 'node:crypto';
import { ask, type HostReader, type ReadOutput, type ReadRequest, type ReadValue, type ReadValues, readKey } from '../core/reads.js';
import { must } from '../errors.js';
import { batchCommand, splitBatch } from '../reads/batch.js';

/** Runs one read-only command on the host (in its long-lived shell where there is one; `inline`: Read.inline). */
export type ReadExec = (command: string, inline: boolean) => Promise<ReadOutput>;

/**
 * What was read from one host during a run. Reads are answered from here until the engine applies
 * a change on that host (then everything is forgotten: a later task must see what the change did).
 */
export class ReadCache {
  private readonly values = new Map<string, Promise<ReadValue>>();

  get(key: string): Promise<ReadValue> | undefined {
    return this.values.get(key);
  }

  set(key: string, value: Promise<ReadValue>): void {
    this.values.set(key, value);
    // A failed read is not an answer: the next task asks again.
    value.catch(() => {
      if (this.values.get(key) === value) this.values.delete(key);
    });
  }

  clear(): void {
    this.values.clear();
  }
}

/** Sees every read a planner asks for (answered from the cache or not): a saved plan fingerprints them. */
export type ReadObserver = (request: ReadRequest, value: Promise<ReadValue>) => void;

interface Pending {
  request: ReadRequest;
  resolve(value: ReadValue): void;
  reject(err: unknown): void;
}

/**
 * A planner's view of a host. Reads asked for in the same tick (`getAll`, or several `get`s before an
 * await) go to the host as one framed command, one round trip. `scope` separates what different
 * become users see.
 */
export function createHostReader(exec: ReadExec, cache: ReadCache, scope: string, observe?: ReadObserver): HostReader {
  let pending: Pending[] = [];

  const flush = async () => {
    const batch = pending;
    pending = [];
    let outputs: ReadOutput[];
    try {
      const commands = batch.map(({ request }) => ({ command: request.command, inline: request.inline }));
      const [single, ...more] = commands;
      if (single !== undefined && more.length === 0) outputs = [await exec(single.command, single.inline)];
      else {
        const marker = `__provision_read_${randomBytes(8).toString('hex')}__`;
        outputs = splitBatch(await exec(batchCommand(commands, marker), true), marker, commands.length);
      }
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => {
      try {
        p.resolve(p.request.parse(must(outputs[i], `output ${i} of a read batch`)));
      } catch (err) {
        p.reject(err);
      }
    });
  };

  const submit = <T extends ReadValue>(request: ReadRequest<T>): Promise<T> => {
    const value = answer(request);
    if (!request.volatile) observe?.(request as ReadRequest, value);
    return value;
  };

  const answer = <T extends ReadValue>(request: ReadRequest<T>): Promise<T> => {
    const key = `${scope}\0${readKey(request.name, request.args)}`;
    const cached = request.volatile ? undefined : cache.get(key);
    if (cached) return cached as Promise<T>;
    const value = new Promise<T>((resolve, reject) => {
      if (pending.length === 0) queueMicrotask(() => void flush());
      pending.push({ request, resolve: (v) => resolve(v as T), reject });
    });
    if (!request.volatile) cache.set(key, value);
    return value;
  };

  return {
    get: (read, args) => submit(ask(read, args)),
    // Promise.all keeps the order; the tuple type of the answers is what ReadValues spells out.
    getAll: <const R extends readonly ReadRequest[]>(requests: R) => Promise.all(requests.map(submit)) as Promise<ReadValues<R>>,
  };
}
