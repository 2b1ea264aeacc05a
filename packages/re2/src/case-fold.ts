// RE2's (?i) matches every character of a simple case-folding orbit (k, K and the Kelvin sign K). Node 20 has no
// inline regex modifiers, so a case-insensitive part of a pattern is spelled out from these orbits.

let orbits: Map<number, readonly number[]> | undefined;

/** The code points that fold together with `cp` (itself included), or undefined when it has no other case. */
export function caseOrbit(cp: number): readonly number[] | undefined {
  orbits ??= buildOrbits();
  return orbits.get(cp);
}

/** Every code point that has another case, each once. */
export function casedCodePoints(): Iterable<number> {
  orbits ??= buildOrbits();
  return orbits.keys();
}

function single(s: string): number | undefined {
  const cp = s.codePointAt(0)!;
  return s.length === (cp > 0xffff ? 2 : 1) ? cp : undefined;
}

// Groups the characters that change under case mapping by their lower case of their upper case: JavaScript has
// no simple-case-fold API, and this agrees with it (the `iu` flags) except for the dotless i, which folds alone.
// Built once, on the first case-insensitive group (about 30 ms: one regex pass over the planes with cased letters).
function buildOrbits(): Map<number, readonly number[]> {
  const groups = new Map<number, number[]>();
  for (const m of allCodePoints().matchAll(/\p{CWCM}/gu)) {
    const cp = m[0].codePointAt(0)!;
    if (cp === 0x131) continue;
    let key = single(m[0].toUpperCase()) ?? cp;
    key = single(String.fromCodePoint(key).toLowerCase()) ?? key;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [cp]);
    else group.push(cp);
  }
  const byMember = new Map<number, readonly number[]>();
  for (const [key, group] of groups) {
    if (!group.includes(key)) group.push(key);
    if (group.length < 2) continue;
    group.sort((a, b) => a - b);
    for (const cp of group) byMember.set(cp, group);
  }
  return byMember;
}

// The Basic and Supplementary Multilingual Planes, where all cased letters are.
function allCodePoints(): string {
  const parts: string[] = [];
  const units: number[] = [];
  for (let cp = 0; cp < 0x20000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (cp < 0x10000) units.push(cp);
    else units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    if (units.length >= 8190) {
      parts.push(String.fromCharCode(...units));
      units.length = 0;
    }
  }
  parts.push(String.fromCharCode(...units));
  return parts.join('');
}
