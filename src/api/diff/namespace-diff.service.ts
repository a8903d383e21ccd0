import { Inject, Injectable } from '@nestjs/common';
import { BadParameterError } from '../../common/api-errors.js';
import { CLOCK, type Clock } from '../../common/clock.js';
import { groupInterfaceKeys, type KeySides } from '../../domain/history/group-interface-keys.js';
import { NamespacesService } from '../namespaces/namespaces.service.js';
import { wantsRawInterfaces } from '../params/interfaces.query.js';
import { NamespaceResolver } from '../params/namespace-resolver.js';
import type { NamespaceDiffQuery } from './diff.query.js';
import type { NamespaceDiffResult } from './namespace-diff.views.js';

export type { NamespaceDiffResult };

/** Namespace set vs namespace set at one instant. */
@Injectable()
export class NamespaceDiffService {
  constructor(
    private readonly resolver: NamespaceResolver,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly namespaces: NamespacesService,
  ) {}

  async diff(query: NamespaceDiffQuery): Promise<NamespaceDiffResult> {
    if (!query.a) throw new BadParameterError('a', 'required: a namespace id, host, container or netns name');
    if (!query.b) throw new BadParameterError('b', 'required: a namespace id, host, container or netns name');
    const at = query.at ?? this.clock.now();
    const a = await this.resolver.resolve(query.a, 'a');
    const b = await this.resolver.resolve(query.b, 'b');
    const host = await this.resolver.host();
    const [left, right] = await Promise.all([
      this.namespaces.effective(a, host, at),
      this.namespaces.effective(b, host, at),
    ]);
    const rightByKey = new Map(right.map((s) => [s.key, s]));
    const leftByKey = new Map(left.map((s) => [s.key, s]));
    const differing: (NamespaceDiffResult['differing'][number] & { sides: KeySides })[] = [];
    const shared: NamespaceDiffResult['shared'] = [];
    for (const key of [...new Set([...leftByKey.keys(), ...rightByKey.keys()])].sort()) {
      const l = leftByKey.get(key);
      const r = rightByKey.get(key);
      const ref = l ?? r;
      if (!ref || ref.volatile) continue;
      if (l?.source === 'host' && r?.source === 'host') {
        if (ref.scope === 'global') {
          shared.push({
            key,
            childVisibility: ref.childVisibility,
            value: l.value,
            visibleInsideA: l.visibleInside,
            visibleInsideB: r.visibleInside,
          });
        }
        continue;
      }
      if ((l?.value ?? null) !== (r?.value ?? null)) {
        const sides: KeySides = l === undefined ? 'second' : r === undefined ? 'first' : 'both';
        differing.push({ key, scope: ref.scope, a: l?.value ?? null, b: r?.value ?? null, sides });
      }
    }
    const view = ({ sides: _sides, ...d }: (typeof differing)[number]) => d;
    const grouped = wantsRawInterfaces(query.interfaces)
      ? { keys: differing, interfaces: [] }
      : groupInterfaceKeys(
          differing,
          (d) => d.key,
          (d) => d.sides,
        );
    return {
      a: a.identity,
      b: b.identity,
      at: new Date(at).toISOString(),
      differing: grouped.keys.map(view),
      interfaces: grouped.interfaces.map((i) => ({
        interface: i.name,
        kind: i.kind === 'appeared' ? 'only-b' : i.kind === 'vanished' ? 'only-a' : 'differs',
        keyCount: i.keyCount,
        keys: i.keys.map(view),
      })),
      shared,
    };
  }
}
