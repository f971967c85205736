// A string-keyed map kept as 64 Maps, the key's hash choosing one. Why: V8 rebuilds a Map's table in one
// step once its deleted and live entries fill it, and a 200,000-key Map (the UID index of 100,000 linked
// accounts) stopped the process for 52–70 ms each time; setUID deletes one key and adds one, so with
// that churn it came every ~324,000 calls (DECISIONS item 33). Split, each rebuild moves 1/64 of the
// entries. Only what the store needs: get, has, set, delete, clear, size.

const SHARDS = 64; // a power of two: the shard is the hash's top bits

export class ShardedMap<V> {
  private readonly shards: Map<string, V>[] = Array.from({ length: SHARDS }, () => new Map<string, V>());

  // FNV-1a over the key's UTF-16 code units; its top six bits pick the shard.
  private shard(key: string): Map<string, V> {
    let hash = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    return this.shards[hash >>> 26]!;
  }

  get size(): number {
    let size = 0;
    for (const shard of this.shards) size += shard.size;
    return size;
  }

  get(key: string): V | undefined {
    return this.shard(key).get(key);
  }

  has(key: string): boolean {
    return this.shard(key).has(key);
  }

  set(key: string, value: V): this {
    this.shard(key).set(key, value);
    return this;
  }

  delete(key: string): boolean {
    return this.shard(key).delete(key);
  }

  clear(): void {
    for (const shard of this.shards) shard.clear();
  }
}
