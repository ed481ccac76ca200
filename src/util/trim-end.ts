/**
 * `text` without the run of characters at its end that `drop` accepts, read one code point at a time. A loop, not
 * `/[…]+$/`: that pattern retries from every position of a long run that is followed by something else, which
 * costs quadratic time on hostile input.
 */
export function trimEndWhere(text: string, drop: (char: string) => boolean): string {
  let end = text.length;
  while (end > 0) {
    const start =
      end >= 2 && isLowSurrogate(text.charCodeAt(end - 1)) && isHighSurrogate(text.charCodeAt(end - 2))
        ? end - 2
        : end - 1;
    if (!drop(text.slice(start, end))) break;
    end = start;
  }
  return text.slice(0, end);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
