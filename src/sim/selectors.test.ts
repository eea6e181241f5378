import {describe, expect, it} from 'vitest';
import {Environment} from './kernel';
import {DefaultSelector, EpollSelector, EVENT_READ, IoSystem, PollSelector, SelectSelector, type SelectResult} from './selectors';

const setup = (): {env: Environment; io: IoSystem} => {
  const env = new Environment({seed: 1});
  return {env, io: new IoSystem(env)};
};

function selectOnce(env: Environment, selector: {select: (t: number | null) => ReturnType<SelectSelector['select']>}, timeoutUs: number | null): SelectResult {
  let result: SelectResult | null = null;
  selector.select(timeoutUs).onTrigger((value) => {
    result = value;
  });
  env.run();
  return result!;
}

describe('sockets and selectors', () => {
  it('allocates the lowest free fd and raises BlockingIOError (EAGAIN) on an empty non-blocking recv', () => {
    const {io} = setup();
    const sock = io.socket();
    expect(sock.fd).toBe(3);
    sock.setblocking(false);
    expect(() => sock.recv(10)).toThrow('[Errno 11] Resource temporarily unavailable');
    sock.close();
    expect(io.socket().fd).toBe(3);
  });

  it('delivers a response after the latency at the bandwidth, then EOF', () => {
    const {env, io} = setup();
    const sock = io.socket({latencyUs: 1000, responseBytes: 100_000, bandwidthBytesPerSecond: 1_000_000, chunkBytes: 50_000});
    sock.setblocking(false);
    sock.send(100);
    env.run(50_999);
    expect(sock.readable).toBe(false);
    env.run(51_000);
    expect(sock.recv(1_000_000)).toBe(50_000);
    env.run();
    expect(sock.recv(1_000_000)).toBe(50_000);
    expect(sock.recv(1_000_000)).toBe(0);
  });

  it('select refuses fd values >= 1024 with Python’s ValueError; poll and epoll accept them', () => {
    const {env, io} = setup();
    io.openFiles(1021);
    const high = io.socket();
    expect(high.fd).toBe(1024);
    const select = new SelectSelector(env);
    select.register(high, EVENT_READ);
    expect(() => select.select(0)).toThrow('filedescriptor out of range in select()');
    for (const selector of [new PollSelector(env), new EpollSelector(env)]) {
      selector.register(high, EVENT_READ);
      expect(selectOnce(env, selector, 0).events).toEqual([]);
    }
  });

  it('select and poll cost grows with watched fds; epoll with ready fds only', () => {
    const {env, io} = setup();
    const cost = (kind: 'select' | 'poll' | 'epoll', watched: number): number => {
      const selector = kind === 'select' ? new SelectSelector(env) : kind === 'poll' ? new PollSelector(env) : new EpollSelector(env);
      const sockets = Array.from({length: watched}, () => io.socket());
      for (const s of sockets) selector.register(s, EVENT_READ);
      for (const s of sockets.slice(0, 10)) s.deliver(1, false);
      const result = selectOnce(env, selector, 0);
      expect(result.events).toHaveLength(10);
      for (const s of sockets) s.close();
      return result.costUs;
    };
    expect(cost('select', 1000) / cost('select', 100)).toBeGreaterThan(7);
    expect(cost('poll', 1000) / cost('poll', 100)).toBeGreaterThan(5);
    expect(cost('epoll', 1000)).toBe(cost('epoll', 100));
  });

  it('a blocking wait sleeps until data arrives, or until the timeout', () => {
    const {env, io} = setup();
    const selector = new DefaultSelector(env);
    const sock = io.socket({latencyUs: 5000, responseBytes: 10, bandwidthBytesPerSecond: 1e9});
    selector.register(sock, EVENT_READ, 'data');
    sock.send(1);
    const woke = selectOnce(env, selector, null);
    expect(woke.events.map(([key, mask]) => [key.fd, key.data, mask])).toEqual([[sock.fd, 'data', EVENT_READ]]);
    expect(woke.waitedUs).toBe(5000);
    const idle = new PollSelector(env);
    idle.register(io.socket(), EVENT_READ);
    expect(selectOnce(env, idle, 2000)).toMatchObject({events: [], waitedUs: 2000});
  });

  it('level-triggered reports unread data on every call; edge-triggered once per arrival', () => {
    const {env, io} = setup();
    const level = new EpollSelector(env, false);
    const edge = new EpollSelector(env, true);
    const sock = io.socket();
    level.register(sock, EVENT_READ);
    edge.register(sock, EVENT_READ);
    sock.deliver(100, false);
    expect(selectOnce(env, level, 0).events).toHaveLength(1);
    expect(selectOnce(env, level, 0).events).toHaveLength(1);
    expect(selectOnce(env, edge, 0).events).toHaveLength(1);
    expect(selectOnce(env, edge, 0).events).toHaveLength(0);
    sock.deliver(1, false);
    expect(selectOnce(env, edge, 0).events).toHaveLength(1);
  });

  it('rejects bad registrations with Python’s errors', () => {
    const {env, io} = setup();
    const selector = new EpollSelector(env);
    const sock = io.socket();
    expect(() => selector.register(sock, 0)).toThrow('Invalid events: 0');
    selector.register(sock, EVENT_READ);
    expect(() => selector.register(sock, EVENT_READ)).toThrow(/already registered/);
    selector.unregister(sock);
    expect(() => selector.getKey(sock)).toThrow(/is not registered/);
  });
});
