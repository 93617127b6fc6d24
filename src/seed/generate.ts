import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { language as languageRule, phone as phoneRule, timezone as timezoneRule } from "../contacts/fields.ts";
import type { ContactFields } from "../contacts/input.ts";

/**
 * Deterministic, realistic demo contacts. Contact number `index` is always the same
 * person (its own PRNG is seeded by the index), so seeding is repeatable and a second
 * run can continue where the first stopped. Unique fields derive from the index
 * injectively, so e-mail addresses, phones and external ids never collide within a
 * workspace (phones up to 10,000,000 contacts).
 */
/** A contact's stored fields (phone in E.164, phoneDigits as `phone()` computes them), its times and tags. */
export interface SeedContact extends ContactFields {
  createdAt: string;
  updatedAt: string;
  tags: string[];
}

/** The tags seeded contacts carry, besides the starter ones. */
export const SEED_TAGS = ["Sales", "Support", "Billing", "VIP", "Newsletter", "Partner"];

/** A name in its own script and a Latin spelling for e-mail addresses. */
type Name = string | [native: string, latin: string];

export interface Locale {
  country: string;
  languages: string[];
  timezones: string[];
  domains: string[];
  first: Name[];
  last: Name[];
  /** Mobile number prefixes (after the country code) and how many digits follow. */
  mobile: { prefixes: string[]; digits: number };
  weight: number;
}

export const LOCALES: readonly Locale[] = [
  {
    country: "NL",
    languages: ["nl", "nl-NL", "en"],
    timezones: ["Europe/Amsterdam"],
    domains: ["gmail.com", "ziggo.nl", "kpnmail.nl", "outlook.com"],
    first: ["Daan", "Sanne", "Lotte", "Bram", "Femke", "Joost", "Anouk", "Sem", "Eva", "Thijs", "Noor", "Ruud"],
    last: ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Jong", "Mulder", "Bos"],
    mobile: { prefixes: ["61", "62", "63", "64", "65"], digits: 7 },
    weight: 12,
  },
  {
    country: "DE",
    languages: ["de", "de-DE"],
    timezones: ["Europe/Berlin"],
    domains: ["web.de", "gmx.de", "t-online.de", "gmail.com"],
    first: ["Jürgen", "Lena", "Lukas", "Anna-Lena", "Jörg", "Sophie", "Maximilian", "Käthe", "Felix", "Ute"],
    last: ["Müller", "Schmidt", "Schneider", "Fischer", "Weiß", "Groß", "Köhler", "Schäfer", "Wagner", "Becker"],
    mobile: { prefixes: ["160", "170", "171", "172", "175"], digits: 7 },
    weight: 10,
  },
  {
    country: "FR",
    languages: ["fr", "fr-FR"],
    timezones: ["Europe/Paris"],
    domains: ["orange.fr", "free.fr", "laposte.net", "gmail.com"],
    first: ["Zoë", "Chloé", "Léa", "François", "Hélène", "Mathéo", "Benoît", "Anaïs", "Jérôme", "Océane"],
    last: ["Martin", "Lefèvre", "Dubois", "Moreau", "Girard", "Leroy", "Fontaine", "Chevalier", "Bonnet", "Rousseau"],
    mobile: { prefixes: ["6"], digits: 8 },
    weight: 8,
  },
  {
    country: "ES",
    languages: ["es", "es-ES", "ca"],
    timezones: ["Europe/Madrid", "Atlantic/Canary"],
    domains: ["gmail.com", "hotmail.es", "telefonica.net"],
    first: ["José", "María", "Lucía", "Álvaro", "Iñigo", "Begoña", "Sofía", "Martín", "Núria", "Raúl"],
    last: ["García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ibáñez", "Muñoz", "Peña"],
    mobile: { prefixes: ["6"], digits: 8 },
    weight: 6,
  },
  {
    country: "GB",
    languages: ["en", "en-GB", "cy"],
    timezones: ["Europe/London"],
    domains: ["gmail.com", "btinternet.com", "outlook.com", "yahoo.co.uk"],
    first: ["Oliver", "Amelia", "Harry", "Isla", "George", "Siobhan", "Niamh", "Rhys", "Freya", "Alfie"],
    last: ["Smith", "Jones", "Williams", "Taylor", "O'Brien", "Davies", "Evans", "Thomas", "Roberts", "Wright"],
    mobile: { prefixes: ["74", "75", "77", "78", "79"], digits: 8 },
    weight: 10,
  },
  {
    country: "US",
    languages: ["en", "en-US", "es-US"],
    timezones: ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"],
    domains: ["gmail.com", "yahoo.com", "icloud.com", "outlook.com", "aol.com"],
    first: ["James", "Emily", "Michael", "Olivia", "Jacob", "Madison", "Ethan", "Ava", "DeShawn", "Mia"],
    last: ["Johnson", "Brown", "Miller", "Davis", "Rodriguez", "Wilson", "Anderson", "Nguyen", "Kim", "Jackson"],
    mobile: { prefixes: ["2125", "3124", "4153", "6172", "2064", "5127", "3036", "4048"], digits: 6 },
    weight: 12,
  },
  {
    country: "PL",
    languages: ["pl", "pl-PL"],
    timezones: ["Europe/Warsaw"],
    domains: ["wp.pl", "onet.pl", "interia.pl", "gmail.com"],
    first: ["Łukasz", "Małgorzata", "Paweł", "Agnieszka", "Michał", "Żaneta", "Wojciech", "Katarzyna", "Jędrzej"],
    last: ["Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski", "Zieliński", "Szymańska"],
    mobile: { prefixes: ["50", "51", "53", "60", "66", "69", "72", "78", "79", "88"], digits: 7 },
    weight: 5,
  },
  {
    country: "RU",
    languages: ["ru", "ru-RU"],
    timezones: ["Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk", "Asia/Vladivostok"],
    domains: ["mail.ru", "yandex.ru", "gmail.com"],
    first: [
      ["Ольга", "olga"],
      ["Дмитрий", "dmitry"],
      ["Анна", "anna"],
      ["Сергей", "sergey"],
      ["Наталья", "natalya"],
      ["Алексей", "aleksey"],
      ["Екатерина", "ekaterina"],
      ["Иван", "ivan"],
    ],
    last: [
      ["Иванова", "ivanova"],
      ["Смирнов", "smirnov"],
      ["Кузнецова", "kuznetsova"],
      ["Попов", "popov"],
      ["Соколова", "sokolova"],
      ["Лебедев", "lebedev"],
      ["Новиков", "novikov"],
    ],
    mobile: { prefixes: ["912", "916", "926", "985"], digits: 7 },
    weight: 5,
  },
  {
    country: "SA",
    languages: ["ar", "ar-SA", "en"],
    timezones: ["Asia/Riyadh"],
    domains: ["gmail.com", "hotmail.com", "stc.com.sa"],
    first: [
      ["محمد", "mohammed"],
      ["فاطمة", "fatima"],
      ["عبد الله", "abdullah"],
      ["نورة", "noura"],
      ["خالد", "khalid"],
      ["سارة", "sara"],
      ["أحمد", "ahmed"],
    ],
    last: [
      ["العتيبي", "alotaibi"],
      ["القحطاني", "alqahtani"],
      ["الغامدي", "alghamdi"],
      ["الشمري", "alshammari"],
      ["الحربي", "alharbi"],
    ],
    mobile: { prefixes: ["50", "53", "54", "55", "56"], digits: 7 },
    weight: 4,
  },
  {
    country: "EG",
    languages: ["ar", "ar-EG"],
    timezones: ["Africa/Cairo"],
    domains: ["gmail.com", "yahoo.com"],
    first: [
      ["محمود", "mahmoud"],
      ["مريم", "mariam"],
      ["يوسف", "youssef"],
      ["هبة", "heba"],
      ["عمر", "omar"],
    ],
    last: [
      ["حسن", "hassan"],
      ["إبراهيم", "ibrahim"],
      ["السيد", "elsayed"],
      ["عبد الرحمن", "abdelrahman"],
    ],
    mobile: { prefixes: ["10", "11", "12"], digits: 8 },
    weight: 3,
  },
  {
    country: "JP",
    languages: ["ja", "ja-JP"],
    timezones: ["Asia/Tokyo"],
    domains: ["docomo.ne.jp", "yahoo.co.jp", "gmail.com"],
    first: [
      ["太郎", "taro"],
      ["花子", "hanako"],
      ["翔太", "shota"],
      ["さくら", "sakura"],
      ["健", "ken"],
      ["美咲", "misaki"],
    ],
    last: [
      ["山田", "yamada"],
      ["佐藤", "sato"],
      ["鈴木", "suzuki"],
      ["高橋", "takahashi"],
      ["田中", "tanaka"],
      ["渡辺", "watanabe"],
    ],
    mobile: { prefixes: ["70", "80", "90"], digits: 8 },
    weight: 4,
  },
  {
    country: "CN",
    languages: ["zh", "zh-CN", "zh-Hans-CN"],
    timezones: ["Asia/Shanghai"],
    domains: ["qq.com", "163.com", "126.com"],
    first: [
      ["伟", "wei"],
      ["芳", "fang"],
      ["静", "jing"],
      ["磊", "lei"],
      ["秀英", "xiuying"],
      ["建华", "jianhua"],
    ],
    last: [
      ["王", "wang"],
      ["李", "li"],
      ["张", "zhang"],
      ["刘", "liu"],
      ["陈", "chen"],
      ["杨", "yang"],
    ],
    mobile: { prefixes: ["138", "139", "150", "186"], digits: 8 },
    weight: 4,
  },
  {
    country: "IN",
    languages: ["en-IN", "hi", "hi-IN", "ta"],
    timezones: ["Asia/Kolkata"],
    domains: ["gmail.com", "rediffmail.com", "yahoo.co.in"],
    first: ["Aarav", "Priya", "Rahul", "Ananya", "Vikram", "Sneha", ["अर्जुन", "arjun"], ["दीपिका", "deepika"]],
    last: ["Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Nair", ["सिंह", "singh"], ["कुमार", "kumar"]],
    mobile: { prefixes: ["98", "99", "97", "96"], digits: 8 },
    weight: 6,
  },
  {
    country: "BR",
    languages: ["pt-BR", "pt"],
    timezones: ["America/Sao_Paulo", "America/Manaus", "America/Recife"],
    domains: ["gmail.com", "uol.com.br", "bol.com.br", "hotmail.com"],
    first: ["João", "Ana", "Luís", "Letícia", "Gonçalo", "Beatriz", "Conceição", "Vitória", "Caio", "Thaís"],
    last: ["Silva", "Santos", "Oliveira", "Souza", "Araújo", "Gonçalves", "Conceição", "Simões", "Lima"],
    mobile: { prefixes: ["119", "219", "319", "419"], digits: 8 },
    weight: 6,
  },
  {
    country: "TR",
    languages: ["tr", "tr-TR"],
    timezones: ["Europe/Istanbul"],
    domains: ["gmail.com", "hotmail.com", "yandex.com.tr"],
    first: ["Ayşe", "Mehmet", "Çağla", "Oğuz", "Gülşen", "İbrahim", "Şule", "Emre", "Büşra"],
    last: ["Yılmaz", "Kaya", "Demir", "Çelik", "Şahin", "Öztürk", "Aydın", "Doğan", "Güneş"],
    mobile: { prefixes: ["532", "533", "542", "555"], digits: 7 },
    weight: 3,
  },
];

const COUNTRY_CODES: Record<string, string> = {
  NL: "31",
  DE: "49",
  FR: "33",
  ES: "34",
  GB: "44",
  US: "1",
  PL: "48",
  RU: "7",
  SA: "966",
  EG: "20",
  JP: "81",
  CN: "86",
  IN: "91",
  BR: "55",
  TR: "90",
};

const TOTAL_WEIGHT = LOCALES.reduce((sum, l) => sum + l.weight, 0);

/** mulberry32: a small, fast PRNG with good enough spread for demo data. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** splitmix-style scramble, so neighbouring indexes get unrelated PRNG streams. */
function seedOf(index: number): number {
  let x = (index + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

function pickLocale(random: () => number): Locale {
  let r = random() * TOTAL_WEIGHT;
  for (const locale of LOCALES) {
    r -= locale.weight;
    if (r < 0) return locale;
  }
  return LOCALES[0] as Locale;
}

const native = (name: Name) => (typeof name === "string" ? name : name[0]);

/** "Łukasz" → "lukasz", "O'Brien" → "obrien", "van den Berg" → "vandenberg": letters a–z only. */
export function latin(name: Name): string {
  const text = typeof name === "string" ? name : name[1];
  return text
    .replace(/[łŁ]/g, "l")
    .replace(/ß/g, "ss")
    .replace(/[ıİ]/g, "i")
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

// A multiplier prime to every modulus used below, so index → number is one-to-one.
const SPREAD = 1_000_003;

/**
 * The mobile number of contact `index` in this locale: index → (prefix, subscriber digits)
 * one-to-one below prefixes × 10^digits, so two contacts never share a number.
 */
function mobileNumber(locale: Locale, index: number): string {
  const { prefixes, digits } = locale.mobile;
  const space = prefixes.length * 10 ** digits;
  const n = (index * SPREAD + 7_777_777) % space;
  const prefix = prefixes[Math.floor(n / 10 ** digits)] as string;
  const subscriber = String(n % 10 ** digits).padStart(digits, "0");
  return `+${COUNTRY_CODES[locale.country]}${prefix}${subscriber}`;
}

/** A valid phone (E.164 and search digits), or null when the built number is not a valid one. */
export function seedPhone(locale: Locale, index: number): { e164: string; digits: string } | null {
  const written = mobileNumber(locale, index);
  if (!parsePhoneNumberFromString(written)?.isValid()) return null;
  return phoneRule(written, locale.country);
}

function emailOf(random: () => number, locale: Locale, first: Name | null, last: Name | null, index: number) {
  const f = first ? latin(first) : "";
  const l = last ? latin(last) : "";
  const style = random();
  let local: string;
  if (f && l) local = style < 0.4 ? `${f}.${l}` : style < 0.6 ? `${f}${l}` : style < 0.8 ? `${f[0]}.${l}` : `${f}_${l}`;
  else local = f || l || "contact";
  // The index (digits after letters only) keeps every address unique.
  let address = `${local}${index}@${pick(random, locale.domains)}`;
  // Some people type their address capitalised; uniqueness is case-insensitive.
  if (random() < 0.05) address = address.replace(/^./, (c) => c.toUpperCase());
  return address;
}

const canonical = new Map<string, string | null>();
/** A language tag or time zone as the API would store it (this runtime may spell Asia/Kolkata "Asia/Calcutta"). */
function stored(rule: (value: unknown) => string | null, value: string): string | null {
  const key = `${rule.name}:${value}`;
  if (!canonical.has(key)) canonical.set(key, rule(value));
  return canonical.get(key) ?? null;
}

// Dates are relative to a fixed moment, so the same index gives the same contact on any day.
const EPOCH = Date.UTC(2026, 0, 1);
const SPAN = 6 * 365 * 24 * 3600 * 1000;

/** Where contacts `start` … `start + count - 1` of one seeding run lie in time. */
export interface Timeline {
  start: number;
  count: number;
}

/**
 * Contact number `index` (0-based) of a seeded workspace. With a timeline, creation
 * times rise with the index across the past six years, as in a real workspace whose
 * contacts were added over time (so the table's physical order follows created_at);
 * without one, the time is drawn at random.
 */
export function generateContact(index: number, timeline?: Timeline): SeedContact {
  const random = prng(seedOf(index));
  const locale = pickLocale(random);
  const noName = random() < 0.03;
  const first = noName ? null : pick(random, locale.first);
  const last = noName || random() < 0.08 ? null : pick(random, locale.last);
  const hasEmail = random() < 0.85;
  const hasPhone = random() < 0.8;
  const phone = hasPhone || (!hasEmail && !first && !last) ? seedPhone(locale, index) : null;
  const email = hasEmail || (!phone && !first && !last) ? emailOf(random, locale, first, last, index) : null;
  const slot = timeline ? (index - timeline.start + random()) / timeline.count : random();
  const created = EPOCH - SPAN + Math.floor(slot * SPAN);
  const updated = created + Math.floor(random() * (EPOCH - created) * 0.3);
  const lastSeen = random() < 0.6 ? created + Math.floor(random() * (EPOCH - created)) : null;
  const tags: string[] = [];
  if (random() < 0.34) {
    tags.push(pick(random, SEED_TAGS));
    if (random() < 0.3) {
      const second = pick(random, SEED_TAGS);
      if (second !== tags[0]) tags.push(second);
    }
  }
  return {
    firstName: first && native(first),
    lastName: last && native(last),
    email,
    phone: phone?.e164 ?? null,
    phoneDigits: phone?.digits ?? null,
    language: random() < 0.9 ? stored(languageRule, pick(random, locale.languages)) : null,
    timezone: random() < 0.85 ? stored(timezoneRule, pick(random, locale.timezones)) : null,
    externalId: random() < 0.35 ? `CRM-${String(index).padStart(7, "0")}` : null,
    createdAt: new Date(created).toISOString(),
    updatedAt: new Date(updated).toISOString(),
    lastSeenAt: lastSeen === null ? null : new Date(lastSeen).toISOString(),
    tags,
  };
}
