import { createReadStream } from 'node:fs';

/**
 * The lines of a stream of text or UTF-8 bytes, pulled a chunk at a time.
 *
 * Nothing is read until the consumer asks for the next line, and nothing is read
 * ahead of what it has taken, so no line can be lost whatever the consumer awaits
 * before or between lines. (`readline` pushes its 'line' events whether or not
 * anyone iterates yet: what it emits before a `for await` starts is gone.)
 *
 * A line ends at `\n` or `\r\n`, which it does not include; the last line needs no
 * line break; empty lines are kept. Bytes that are not UTF-8 are an error rather
 * than silently replaced.
 */
export async function* readLines(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    // Only the new text can hold a line break: what is pending has none.
    let lineBreak = text.indexOf('\n');
    if (lineBreak === -1) {
      pending += text;
      continue;
    }
    let start = 0;
    let line = pending;
    while (lineBreak !== -1) {
      line += text.slice(start, lineBreak);
      yield withoutCarriageReturn(line);
      line = '';
      start = lineBreak + 1;
      lineBreak = text.indexOf('\n', start);
    }
    pending = text.slice(start);
  }
  pending += decoder.decode();
  if (pending !== '') yield withoutCarriageReturn(pending);
}

/** The lines of a file, read lazily: the file opens on the first pull and closes when the lines end or the consumer stops. */
export async function* readFileLines(path: string): AsyncGenerator<string, void, undefined> {
  yield* readLines(createReadStream(path));
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
