/**
 * Which column of a file goes to which contact field: headers are matched by name, ignoring
 * case, accents, spaces and punctuation, in the languages our customers write them in, and
 * as the contact tools people leave write them (Google Contacts, Outlook, HubSpot, Chatwoot,
 * Twenty, vCard files).
 */
export const IMPORT_FIELDS = [
  "id",
  "name",
  "firstName",
  "lastName",
  "email",
  "phone",
  "language",
  "timezone",
  "externalId",
  "tags",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Column header → field, or null for a column that is not imported. */
export type Mapping = Record<string, ImportField | null>;

/** Header names, folded (see `foldHeader`), in English, Dutch, German, French and Spanish. */
const SYNONYMS: Record<ImportField, string[]> = {
  id: ["id", "contactid", "uuid"],
  // A whole name in one cell (Chatwoot's `name`, Google's `Name`, vCard's FN and N).
  name: [
    "name",
    "fullname",
    "displayname",
    "contactname",
    "fn",
    "n",
    "naam",
    "volledigenaam",
    "vollstandigername",
    "nomcomplet",
    "nombrecompleto",
  ],
  firstName: [
    "firstname",
    "first",
    "givenname",
    "forename",
    "voornaam",
    "roepnaam",
    "vorname",
    "prenom",
    "nombre",
    "primernombre",
    // Twenty: "Name / First Name"
    "namefirstname",
  ],
  lastName: [
    "lastname",
    "last",
    "surname",
    "familyname",
    "achternaam",
    "nachname",
    "familienname",
    "nom",
    "apellido",
    "apellidos",
    "namelastname",
  ],
  email: [
    "email",
    "emailaddress",
    "mail",
    "emailadres",
    "mailadres",
    "emailadresse",
    "courriel",
    "adressemail",
    "correo",
    "correoelectronico",
    // Outlook: "E-mail Address", "E-mail 2 Address"; Twenty: "Emails / Primary Email"
    "email2address",
    "email3address",
    "emailsprimaryemail",
  ],
  phone: [
    "phone",
    "phonenumber",
    "mobile",
    "mobilephone",
    "mobilenumber",
    "mobilephonenumber",
    "cell",
    "cellphone",
    "telephone",
    "telephonenumber",
    "tel",
    "whatsapp",
    "msisdn",
    "telefoon",
    "telefoonnummer",
    "mobiel",
    "mobielnummer",
    "telefon",
    "telefonnummer",
    "handy",
    "handynummer",
    "portable",
    "telefono",
    "movil",
    // Outlook writes a phone per kind, HubSpot a phone and a mobile, Twenty "Phones / …".
    "primaryphone",
    "businessphone",
    "businessphone2",
    "homephone",
    "homephone2",
    "otherphone",
    "carphone",
    "phonesprimaryphonenumber",
  ],
  language: ["language", "locale", "lang", "languagecode", "taal", "sprache", "langue", "idioma"],
  timezone: ["timezone", "tz", "zone", "tijdzone", "zeitzone", "fuseauhoraire", "zonahoraria"],
  externalId: [
    "externalid",
    "externalreference",
    "crmid",
    "customerid",
    "externeid",
    "externeid",
    "klantnummer",
    "kundennummer",
    // vCard UID, HubSpot's "Record ID", Chatwoot's "identifier"
    "uid",
    "recordid",
    "identifier",
  ],
  tags: [
    "tags",
    "tag",
    "labels",
    "label",
    "etiketten",
    "etiquettes",
    "etiquetas",
    // Google's older export, Outlook, vCard
    "groupmembership",
    "categories",
    "category",
  ],
};

const BY_NAME = new Map<string, ImportField>(
  Object.entries(SYNONYMS).flatMap(([field, names]) => names.map((name) => [name, field as ImportField])),
);

/** "E-mail adres" → "emailadres", "Prénom" → "prenom". */
export function foldHeader(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Numbered columns: Google's "E-mail 2 - Value", "Phone 3 - Value", vCard's "TEL 2". */
const PATTERNS: [RegExp, ImportField][] = [
  [/^email\d+(value|address)?$/, "email"],
  [/^phone\d+value$/, "phone"],
  [/^tel\d+$/, "phone"],
];

/**
 * Fields that several columns may fill. For e-mail and phone the first non-empty one in
 * file order is the contact's and the others are reported as not imported; for a whole
 * name the same, a structured one (vCard's N) before a plain one; tags are added up.
 */
export const MULTI_COLUMN_FIELDS: ReadonlySet<ImportField> = new Set(["email", "phone", "name", "tags"]);

function fieldOf(header: string): ImportField | undefined {
  const folded = foldHeader(header);
  return BY_NAME.get(folded) ?? PATTERNS.find(([pattern]) => pattern.test(folded))?.[1];
}

/**
 * Exports whose headers mean something else than the same words elsewhere: Chatwoot's `id`
 * is its own row number (its `identifier` is the external id), Twenty's `Id` is the id of
 * the record in Twenty, so our external id.
 */
function layoutOverrides(headers: string[]): Map<string, ImportField | null> {
  const overrides = new Map<string, ImportField | null>();
  const has = (header: string) => headers.includes(header);
  if (has("phone_number") && has("name") && has("id")) overrides.set("id", null);
  if (has("Id") && headers.some((h) => / \/ (First Name|Primary Email|Primary Phone Number)$/.test(h))) {
    overrides.set("Id", "externalId");
  }
  return overrides;
}

/**
 * Guesses a field for each header. A field is given to the first column that names it, but
 * for the fields several columns may fill (e-mail, phone, name, tags), which every column
 * naming them gets.
 */
export function guessMapping(headers: string[]): Mapping {
  const mapping: Mapping = {};
  const taken = new Set<ImportField>();
  const overrides = layoutOverrides(headers);
  for (const header of headers) {
    if (Object.hasOwn(mapping, header)) continue;
    const field = overrides.has(header) ? overrides.get(header) : fieldOf(header);
    if (field && (!taken.has(field) || MULTI_COLUMN_FIELDS.has(field))) {
      mapping[header] = field;
      taken.add(field);
    } else mapping[header] = null;
  }
  return mapping;
}

/** Column index → field, from a mapping by header; problems name the header at fault. */
export function columnFields(
  headers: string[],
  mapping: Mapping,
): { fields: (ImportField | null)[]; errors: { field: string; message: string }[] } {
  const errors: { field: string; message: string }[] = [];
  for (const header of Object.keys(mapping)) {
    if (!headers.includes(header)) errors.push({ field: `mapping.${header}`, message: "is not a column of the file" });
  }
  const used = new Map<ImportField, string>();
  const seenHeaders = new Set<string>();
  const fields = headers.map((header) => {
    // A repeated header maps its first column only.
    if (seenHeaders.has(header)) return null;
    seenHeaders.add(header);
    const field = mapping[header] ?? null;
    if (field === null) return null;
    const other = used.get(field);
    if (other !== undefined && !MULTI_COLUMN_FIELDS.has(field)) {
      errors.push({ field: `mapping.${header}`, message: `maps to ${field}, which column "${other}" already has` });
      return null;
    }
    if (other === undefined) used.set(field, header);
    return field;
  });
  return { fields, errors };
}

/**
 * How a row's cells become a contact: each column's field, and for a phone column that has
 * them, the columns beside it that say its country (Twenty writes the number without its
 * calling code, in "Phones / Primary Phone Number", with "Phones / Primary Phone Calling
 * Code" and "… Country Code" beside it).
 */
export interface ColumnPlan {
  headers: string[];
  fields: (ImportField | null)[];
  /** Phone column index → the columns holding its calling code ("+33") and country ("FR"). */
  phoneCountry: Map<number, { callingCode?: number; countryCode?: number }>;
}

export function columnPlan(headers: string[], fields: (ImportField | null)[]): ColumnPlan {
  const phoneCountry = new Map<number, { callingCode?: number; countryCode?: number }>();
  fields.forEach((field, i) => {
    const match = field === "phone" ? /^(.*) \/ Primary Phone Number$/i.exec(headers[i] as string) : null;
    if (!match) return;
    const base = (match[1] as string).toLowerCase();
    const find = (suffix: string) => {
      const index = headers.findIndex((h) => h.toLowerCase() === `${base} / primary phone ${suffix}`);
      return index >= 0 ? index : undefined;
    };
    const callingCode = find("calling code");
    const countryCode = find("country code");
    if (callingCode !== undefined || countryCode !== undefined) phoneCountry.set(i, { callingCode, countryCode });
  });
  return { headers, fields, phoneCountry };
}
