/**
 * How many SMS parts a text is sent in. A text the GSM 03.38 alphabet can write goes as
 * GSM-7: 160 characters in one part, 153 per part once it is split (the rest of each part
 * carries the header that joins them). Characters of the extension table (`€ [ ] { } ~ ^ \ |`
 * and form feed) take two places. Any other character makes the whole text UCS-2: 70 in
 * one part, 67 per part, counted in UTF-16 code units (an emoji takes two).
 */
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION = "\f^{}\\[~]|€";

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export interface SmsSegments {
  encoding: "GSM-7" | "UCS-2";
  /** Places used: GSM-7 septets, or UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
  /** Places left in the last part before another part starts. */
  remaining: number;
}

export function smsSegments(text: string): SmsSegments {
  let septets = 0;
  let gsm = true;
  for (const char of text) {
    if (basic.has(char)) septets += 1;
    else if (extension.has(char)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return count("GSM-7", septets, 160, 153);
  return count("UCS-2", text.length, 70, 67);
}

function count(encoding: SmsSegments["encoding"], units: number, single: number, part: number): SmsSegments {
  if (units === 0) return { encoding, units, segments: 0, remaining: single };
  if (units <= single) return { encoding, units, segments: 1, remaining: single - units };
  const segments = Math.ceil(units / part);
  return { encoding, units, segments, remaining: segments * part - units };
}
