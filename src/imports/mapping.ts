/**
 * Which column of a file goes to which contact field: headers are matched by name, ignoring
 * case, accents, spaces and punctuation, in the languages our customers write them in.
 */
export const IMPORT_FIELDS = [
  "id",
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
  ],
  tags: ["tags", "tag", "labels", "label", "etiketten", "etiquettes", "etiquetas"],
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

/** Guesses a field for each header; a field is given to the first column that names it. */
export function guessMapping(headers: string[]): Mapping {
  const mapping: Mapping = {};
  const taken = new Set<ImportField>();
  for (const header of headers) {
    if (Object.hasOwn(mapping, header)) continue;
    const field = BY_NAME.get(foldHeader(header));
    if (field && !taken.has(field)) {
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
    if (other !== undefined) {
      errors.push({ field: `mapping.${header}`, message: `maps to ${field}, which column "${other}" already has` });
      return null;
    }
    used.set(field, header);
    return field;
  });
  return { fields, errors };
}
