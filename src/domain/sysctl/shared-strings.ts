/**
 * One shared copy of each string that long-lived state repeats (a file name in every interface directory, a
 * classification source on every catalogued key): `of(text)` hands back the first copy it was given. Bounded:
 * past `max` distinct strings, new ones are handed back as they come, so a stream of names that never repeat
 * (interfaces of pods that come and go) cannot grow it without end.
 */
export class SharedStrings {
  private readonly table = new Map<string, string>();

  constructor(private readonly max: number) {}

  of(text: string): string {
    const shared = this.table.get(text);
    if (shared !== undefined) return shared;
    if (this.table.size < this.max) this.table.set(text, text);
    return text;
  }
}
