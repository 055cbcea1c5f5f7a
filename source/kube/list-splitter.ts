const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const SPACE = 0x20;

/**
 * Splits a Kubernetes list response (`{"kind":…,"metadata":{…},"items":[{…},{…}]}`) as it arrives:
 * each element of the top-level `items` array is handed over as its own JSON text, and everything else
 * is kept so `rest()` parses to the list without its items (metadata: continue, resourceVersion).
 *
 * Why: a page of 500 pods is megabytes; parsing it whole held the text and every full pod at once, ten
 * clusters at a time, and that was the cockpit's peak memory. Split, only one pod is ever whole.
 *
 * It checks only nesting and strings; each item and the rest are then parsed by JSON.parse, which
 * rejects anything malformed.
 */
export class ListSplitter {
  /** Text not yet handed over: from the start of the current item (or of the pending rest). */
  private pending = '';
  /** Where scanning resumes in `pending`. */
  private scan = 0;
  private depth = 0;
  private inString = false;
  /** Start (in `pending`) of the string being read at depth 1: the last one is the key of what follows. */
  private keyStart = -1;
  private lastKey = '';
  /** Inside the top-level items array (depth 2 between items). */
  private inItems = false;
  private itemStart = -1;
  private restText = '';

  constructor(private readonly onItem: (json: string) => void) {}

  write(chunk: string): void {
    let text = this.pending + chunk;
    let i = this.scan;
    while (i < text.length) {
      if (this.inString) {
        const quote = text.indexOf('"', i);
        if (quote < 0) {
          i = text.length;
          break;
        }
        let slashes = 0;
        for (let j = quote - 1; j >= 0 && text.charCodeAt(j) === BACKSLASH; j--) slashes++;
        i = quote + 1;
        if (slashes % 2 === 1) continue;
        this.inString = false;
        if (this.keyStart >= 0) {
          this.lastKey = text.slice(this.keyStart, quote);
          this.keyStart = -1;
        }
        continue;
      }
      const c = text.charCodeAt(i);
      if (this.inItems && this.depth === 2 && c !== OPEN_BRACE && c !== CLOSE_BRACKET && c !== COMMA && c > SPACE) {
        // Items of a Kubernetes list are objects; a bare string, number or array is not one.
        throw new SyntaxError('a list item is not an object');
      }
      if (c === QUOTE) {
        this.inString = true;
        if (this.depth === 1) this.keyStart = i + 1;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.depth++;
        if (this.depth === 2 && c === OPEN_BRACKET && this.lastKey === 'items') {
          this.inItems = true;
          this.restText += text.slice(0, i + 1);
          text = text.slice(i + 1);
          i = 0;
          continue;
        }
        if (this.inItems && this.depth === 3) this.itemStart = i;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.inItems && this.depth === 2 && this.itemStart >= 0) {
          this.onItem(text.slice(this.itemStart, i + 1));
          this.itemStart = -1;
          text = text.slice(i + 1);
          i = 0;
          continue;
        }
        if (this.inItems && this.depth === 1) {
          // The items array closed: what follows is rest again, starting with its bracket.
          this.inItems = false;
          text = text.slice(i);
          i = 1;
          continue;
        }
      }
      i++;
    }
    if (this.inItems && this.itemStart < 0 && this.depth === 2) {
      // Between items: separators and whitespace are dropped.
      text = '';
      i = 0;
    } else if (!this.inItems && this.depth <= 1 && this.keyStart < 0) {
      this.restText += text;
      text = '';
      i = 0;
    }
    this.pending = text;
    this.scan = i;
  }

  /** The list without its items, as text; throws if the body ended mid-value. */
  rest(): string {
    if (this.depth !== 0 || this.inString) throw new SyntaxError('the list ended early');
    return this.restText + this.pending;
  }
}
