import { describe, expect, it } from "vitest";
import { ReadCache } from "./read-cache";

describe("the store's read cache", () => {
  it("loads a key once, however many callers ask at the same time", async () => {
    const cache = new ReadCache(100);
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return { value: 42 };
    };
    const [a, b] = await Promise.all([cache.get(["index", "s1"], load, () => 1), cache.get(["index", "s1"], load, () => 1)]);
    const c = await cache.get(["index", "s1"], load, () => 1);
    expect(loads).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it("does not keep a failed load", async () => {
    const cache = new ReadCache(100);
    await expect(
      cache.get(
        ["index", "s1"],
        () => Promise.reject(new Error("database gone")),
        () => 1,
      ),
    ).rejects.toThrow("database gone");
    expect(
      await cache.get(
        ["index", "s1"],
        async () => ({ ok: true }),
        () => 1,
      ),
    ).toEqual({ ok: true });
  });

  it("evicts the least recently used entries by weight, not by count", async () => {
    const cache = new ReadCache(10);
    const loaded: string[] = [];
    const get = (id: string, weight: number) =>
      cache.get(
        ["index", id],
        async () => {
          loaded.push(id);
          return { id };
        },
        () => weight,
      );
    await get("a", 4);
    await get("b", 4);
    await get("a", 4); // a is now the most recent
    await get("c", 4); // 12 > 10: b goes
    await get("a", 4);
    await get("b", 4);
    expect(loaded).toEqual(["a", "b", "c", "b"]);
  });

  it("forgets every entry derived from a deleted scan, and only those", async () => {
    const cache = new ReadCache(100);
    const loads: string[] = [];
    const get = (...key: [string, ...string[]]) =>
      cache.get(
        key,
        async () => {
          loads.push(key.join("|"));
          return {};
        },
        () => 1,
      );
    await get("index", "s1");
    await get("aggregate", "s1");
    await get("diff", "s2", "s1");
    await get("index", "s2");
    cache.forgetScans(["s1"]);
    expect(cache.size).toBe(1);
    await get("index", "s2");
    await get("diff", "s2", "s1");
    expect(loads).toEqual(["index|s1", "aggregate|s1", "diff|s2|s1", "index|s2", "diff|s2|s1"]);
  });
});
