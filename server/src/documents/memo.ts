/**
 * Answers computed once per parsed object (a Dockerfile model, one of its stages) and kept on the
 * object itself, so that they die with it.
 *
 * Why not a module-level WeakMap: the WeakMap lives for the whole process, so V8 soon moves its table
 * to the old generation, and its young-generation collector (the scavenger) then keeps every value
 * the table holds alive, whether or not the key still is. Each answer a rule cached for a file so
 * survived the collections that ran while the scan went on, was copied and promoted to the old
 * generation, and stayed there: in a scan of the 311 corpus Dockerfiles the three main collections
 * each copied 6 to 9 MB (7 ms each). A Map owned by the model is young and unreachable with it.
 */

/** An object that carries its own memo (created on first use). */
export interface Memoized {
  memo: Map<MemoSlot<never, unknown>, unknown> | undefined;
}

/** One kind of answer kept on `Memoized` objects: the `get` / `set` of a WeakMap keyed by them. */
export class MemoSlot<K extends Memoized, V> {
  get(owner: K): V | undefined {
    return owner.memo?.get(this as MemoSlot<never, unknown>) as V | undefined;
  }

  set(owner: K, value: V): void {
    (owner.memo ??= new Map()).set(this as MemoSlot<never, unknown>, value);
  }
}
