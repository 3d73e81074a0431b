import { z } from 'zod';

/*
 * Text as the databases keep it. PostgreSQL refuses NUL in any text value
 * (a 500 where SQLite stored it), and no field here has a use for other
 * control characters or for half a UTF-16 surrogate pair; tab and line
 * breaks are allowed where text may span lines (a reason, a message).
 */

/* eslint-disable no-control-regex -- controls are what these match */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROLS_BUT_TAB_AND_LINES =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/* eslint-enable no-control-regex */

/** No lone surrogate: each high half is followed by a low half. */
function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i += 1;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/**
 * True when `text` is something a text field may store.
 *
 * @public
 */
export function isSafeText(
  text: string,
  options: { multiline?: boolean } = {},
): boolean {
  const controls = options.multiline ? CONTROLS_BUT_TAB_AND_LINES : CONTROLS;
  return !controls.test(text) && isWellFormed(text);
}

/** @public */
export interface SafeTextOptions {
  /** The column's length, in characters (code points, as the databases count). */
  max: number;
  min?: number;
  /** Tab, CR and LF allowed (free text such as a reason). */
  multiline?: boolean;
  /** Leading and trailing white space dropped first; off for ids. */
  trim?: boolean;
}

/**
 * A string field bounded to its column that refuses control characters
 * (see above) and lone surrogates. Any script, and emoji, are welcome.
 *
 * @public
 */
export function safeText(options: SafeTextOptions) {
  const { max, min = 0, multiline = false, trim = true } = options;
  let schema = z.string();
  if (trim) schema = schema.trim();
  if (min > 0) schema = schema.min(min);
  return schema.max(max).refine(text => isSafeText(text, { multiline }), {
    message: multiline
      ? 'must not contain control characters (other than tab and line breaks) or broken Unicode'
      : 'must not contain control characters or broken Unicode',
  });
}
