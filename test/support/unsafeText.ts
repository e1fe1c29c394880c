/**
 * Text that no store keeps the same way: C0 controls (NUL breaks PostgreSQL text and
 * JSONB), DEL, bidirectional overrides and isolates (they reorder what staff read), and
 * lone surrogates (not Unicode; PostgreSQL JSONB refuses their escapes). Every text field
 * of every request refuses them with 400 invalid_input, before any store sees them.
 */
export const UNSAFE: [string, string][] = [
  ['NUL', '\u0000'],
  ['BEL', '\u0007'],
  ['ESC', '\u001b'],
  ['vertical tab', '\u000b'],
  ['a lone carriage return', '\r'],
  ['DEL', '\u007f'],
  ['a right-to-left override', '\u202e'],
  ['a left-to-right embedding', '\u202a'],
  ['a first-strong isolate', '\u2068'],
  ['a pop directional isolate', '\u2069'],
  ['a lone high surrogate', '\ud800'],
  ['a lone low surrogate', '\udc00'],
  ['a low surrogate before a high one', '\udc00\ud800'],
];
