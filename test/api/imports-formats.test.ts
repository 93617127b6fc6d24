import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allContacts, importFile, settle, upload } from "../imports-helpers.ts";
import { type Client, createWorkspace, databases, startServer, type TestServer } from "../server.ts";

/**
 * Files from the contact tools people leave, written as those tools write them: their
 * headers in their order, their empty columns and their quirks. Each must land with the
 * right fields and counts that add up.
 */

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** A CSV with every column of `header`, the cells of each row given by header name. */
function csvFile(header: string[], rows: Record<string, string>[], options: { bom?: boolean; eol?: string } = {}) {
  const eol = options.eol ?? "\r\n";
  for (const row of rows) for (const key of Object.keys(row)) if (!header.includes(key)) throw new Error(key);
  const lines = [header.map(quote).join(","), ...rows.map((row) => header.map((h) => quote(row[h] ?? "")).join(","))];
  return `${options.bom ? "\uFEFF" : ""}${lines.join(eol)}${eol}`;
}

// Google Contacts, "Google CSV" as exported since 2020.
const GOOGLE = [
  "First Name",
  "Middle Name",
  "Last Name",
  "Phonetic First Name",
  "Phonetic Middle Name",
  "Phonetic Last Name",
  "Name Prefix",
  "Name Suffix",
  "Nickname",
  "File As",
  "Organization Name",
  "Organization Title",
  "Organization Department",
  "Birthday",
  "Notes",
  "Photo",
  "Labels",
  "E-mail 1 - Label",
  "E-mail 1 - Value",
  "E-mail 2 - Label",
  "E-mail 2 - Value",
  "Phone 1 - Label",
  "Phone 1 - Value",
  "Phone 2 - Label",
  "Phone 2 - Value",
  "Address 1 - Label",
  "Address 1 - Formatted",
  "Address 1 - Street",
  "Address 1 - City",
  "Address 1 - PO Box",
  "Address 1 - Region",
  "Address 1 - Postal Code",
  "Address 1 - Country",
  "Address 1 - Extended Address",
  "Website 1 - Label",
  "Website 1 - Value",
];

// Google Contacts' older export (and what many tools still write as "Google CSV").
const GOOGLE_OLD = [
  "Name",
  "Given Name",
  "Additional Name",
  "Family Name",
  "Yomi Name",
  "Given Name Yomi",
  "Additional Name Yomi",
  "Family Name Yomi",
  "Name Prefix",
  "Name Suffix",
  "Initials",
  "Nickname",
  "Short Name",
  "Maiden Name",
  "Birthday",
  "Gender",
  "Location",
  "Billing Information",
  "Directory Server",
  "Mileage",
  "Occupation",
  "Hobby",
  "Sensitivity",
  "Priority",
  "Subject",
  "Notes",
  "Language",
  "Photo",
  "Group Membership",
  "E-mail 1 - Type",
  "E-mail 1 - Value",
  "E-mail 2 - Type",
  "E-mail 2 - Value",
  "Phone 1 - Type",
  "Phone 1 - Value",
  "Phone 2 - Type",
  "Phone 2 - Value",
];

// Outlook CSV (as Google Contacts and Outlook.com write it): 88 columns, most of them empty.
const OUTLOOK =
  "First Name,Middle Name,Last Name,Title,Suffix,Initials,Web Page,Gender,Birthday,Anniversary,Location,Language,Internet Free Busy,Notes,E-mail Address,E-mail 2 Address,E-mail 3 Address,Primary Phone,Home Phone,Home Phone 2,Mobile Phone,Pager,Home Fax,Home Address,Home Street,Home Street 2,Home Street 3,Home Address PO Box,Home City,Home State,Home Postal Code,Home Country,Spouse,Children,Manager's Name,Assistant's Name,Referred By,Company Main Phone,Business Phone,Business Phone 2,Business Fax,Assistant's Phone,Company,Job Title,Department,Office Location,Organizational ID Number,Profession,Account,Business Address,Business Street,Business Street 2,Business Street 3,Business Address PO Box,Business City,Business State,Business Postal Code,Business Country,Other Phone,Other Fax,Other Address,Other Street,Other Street 2,Other Street 3,Other Address PO Box,Other City,Other State,Other Postal Code,Other Country,Callback,Car Phone,ISDN,Radio Phone,TTY/TDD Phone,Telex,User 1,User 2,User 3,User 4,Keywords,Mileage,Hobby,Billing Information,Directory Server,Sensitivity,Priority,Private,Categories".split(
    ",",
  );

// HubSpot's export of a contacts view with its default columns.
const HUBSPOT = [
  "Record ID",
  "First Name",
  "Last Name",
  "Email",
  "Phone Number",
  "Mobile Phone Number",
  "Contact owner",
  "Lifecycle Stage",
  "Lead Status",
  "Create Date",
  "Last Activity Date",
  "Marketing contact status",
];

// Chatwoot's contacts export.
const CHATWOOT = ["id", "name", "email", "phone_number", "identifier"];

// Twenty's export of People: composite fields as "<field> / <part>".
const TWENTY = [
  "Id",
  "Name / First Name",
  "Name / Last Name",
  "Emails / Primary Email",
  "Emails / Additional Emails",
  "Linkedin / Link URL",
  "Linkedin / Link Label",
  "Linkedin / Secondary Links",
  "Job Title",
  "Phones / Primary Phone Number",
  "Phones / Primary Phone Country Code",
  "Phones / Primary Phone Calling Code",
  "Phones / Additional Phones",
  "City",
  "Avatar Url",
  "Position",
  "Created by / Source",
  "Created by / Name",
  "Creation date",
  "Last update",
  "Company Id",
];

describe.each(databases())("imports of other tools' files on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    // Two rows a batch, so the files cross batch boundaries (this file runs in its own process).
    process.env.IMPORT_BATCH_ROWS = "2";
    server = await startServer(kind);
  });
  afterAll(() => server?.close());

  async function analysed(client: Client, name: string, content: string | Buffer) {
    const uploaded = await upload(client, name, content);
    expect(uploaded.status).toBe(202);
    return settle(client, uploaded.body.id);
  }

  async function run(client: Client, id: string, body: Record<string, unknown> = { onDuplicate: "update" }) {
    const started = await client.post(`/imports/${id}/start`, body);
    expect(started.status).toBe(202);
    const done = await settle(client, id);
    expect(done.status).toBe("finished");
    const { created, updated, skipped, failed } = done.result;
    expect(created + updated + skipped + failed).toBe(done.progress.done);
    expect(done.progress.done).toBe(done.progress.total);
    return done;
  }

  const byEmail = (contacts: any[], email: string) => contacts.find((c) => c.email?.toLowerCase() === email);

  it("maps Google Contacts' export: numbered e-mail and phone columns, ::: values, labels", async () => {
    const ws = await createWorkspace(server);
    const file = csvFile(GOOGLE, [
      {
        "First Name": "Zoë",
        "Last Name": "de Vries",
        "Organization Name": "Vries & Co",
        Notes: "Met at the fair,\nsecond line",
        Photo: "https://lh3.googleusercontent.com/contacts/ABC123",
        Labels: "* myContacts ::: Friends ::: * starred",
        "E-mail 1 - Label": "* Home",
        "E-mail 1 - Value": "zoe@example.nl",
        "E-mail 2 - Label": "Work",
        "E-mail 2 - Value": "zoe@work.example",
        "Phone 1 - Label": "* Mobile",
        "Phone 1 - Value": "06 12345678 ::: 06 87654321",
        "Phone 2 - Label": "Work",
        "Phone 2 - Value": "+31 20 123 4567",
      },
      {
        "First Name": "Bram",
        Labels: "* myContacts",
        "E-mail 2 - Label": "Other",
        "E-mail 2 - Value": "bram@example.com",
        "Phone 2 - Label": "Mobile",
        "Phone 2 - Value": "+32 470 12 34 56",
      },
      { "First Name": "Jan", Labels: "* myContacts", "E-mail 1 - Label": "* Home", "E-mail 1 - Value": "jan@" },
      {
        "First Name": "Zoë",
        "Last Name": "de Vries",
        Labels: "* myContacts ::: Clients",
        "E-mail 1 - Value": "ZOE@example.nl",
      },
    ]);
    const ready = await analysed(ws.admin, "contacts.csv", file);
    expect(ready).toMatchObject({ status: "ready", format: "csv", delimiter: ",", progress: { total: 4 } });
    expect(ready.mapping).toMatchObject({
      "First Name": "firstName",
      "Middle Name": null,
      "Last Name": "lastName",
      "Organization Name": null,
      Photo: null,
      Labels: "tags",
      "E-mail 1 - Label": null,
      "E-mail 1 - Value": "email",
      "E-mail 2 - Label": null,
      "E-mail 2 - Value": "email",
      "Phone 1 - Label": null,
      "Phone 1 - Value": "phone",
      "Phone 2 - Value": "phone",
      "Address 1 - Formatted": null,
      "Website 1 - Value": null,
    });
    expect(ready.preview[0]).toMatchObject({
      row: 2,
      errors: [],
      notes: [
        {
          column: "E-mail 2 - Value",
          message: "is not imported: a contact has one e-mail address, from E-mail 1 - Value",
        },
        { column: "Phone 1 - Value", message: "holds 2 values: only the first is imported" },
        { column: "Phone 2 - Value", message: "is not imported: a contact has one phone number, from Phone 1 - Value" },
      ],
    });
    // The first non-empty column wins: Bram has only the second ones.
    expect(ready.preview[1]).toMatchObject({ errors: [], notes: [] });
    expect(ready.preview[2].errors).toEqual([{ field: "email", message: "is not a valid e-mail address" }]);

    const done = await run(ws.admin, ready.id);
    expect(done.result).toEqual({ created: 2, updated: 1, skipped: 0, failed: 1 });
    const contacts = await allContacts(ws.admin);
    expect(contacts).toHaveLength(2);
    expect(byEmail(contacts, "zoe@example.nl")).toMatchObject({
      firstName: "Zoë",
      lastName: "de Vries",
      phone: "+31612345678",
      tags: ["Clients", "Friends", "starred"],
    });
    expect(byEmail(contacts, "bram@example.com")).toMatchObject({ firstName: "Bram", phone: "+32470123456", tags: [] });
    const errors = await ws.admin.get(`/imports/${ready.id}/errors`);
    expect(errors.text.split("\r\n")[0]).toBe(`${GOOGLE.join(",")},Error`);
    expect(errors.text).toContain("jan@");
  });

  it("maps Google's older export: Name beside Given and Family Name, Group Membership", async () => {
    const ws = await createWorkspace(server);
    const file = csvFile(GOOGLE_OLD, [
      {
        Name: "Piet Jansen",
        "Given Name": "Piet",
        "Family Name": "Jansen",
        "Group Membership": "* myContacts ::: Klanten",
        "E-mail 1 - Type": "* Work",
        "E-mail 1 - Value": "piet@example.nl ::: p.jansen@example.com",
        "Phone 1 - Type": "* Mobile",
        "Phone 1 - Value": "+31 6 23456789",
      },
      // No given or family name: the whole name is split.
      { Name: "Acme Support", "Group Membership": "* myContacts", "E-mail 1 - Value": "support@acme.example" },
    ]);
    const ready = await analysed(ws.admin, "google.csv", file);
    expect(ready.mapping).toMatchObject({
      Name: "name",
      "Given Name": "firstName",
      "Additional Name": null,
      "Family Name": "lastName",
      "Given Name Yomi": null,
      Language: "language",
      "Group Membership": "tags",
      "E-mail 1 - Type": null,
      "E-mail 1 - Value": "email",
      "E-mail 2 - Value": "email",
      "Phone 1 - Type": null,
      "Phone 1 - Value": "phone",
      "Phone 2 - Value": "phone",
    });
    expect(ready.preview[0].notes).toEqual([
      { column: "E-mail 1 - Value", message: "holds 2 values: only the first is imported" },
    ]);
    const done = await run(ws.admin, ready.id);
    expect(done.result).toEqual({ created: 2, updated: 0, skipped: 0, failed: 0 });
    const contacts = await allContacts(ws.admin);
    expect(byEmail(contacts, "piet@example.nl")).toMatchObject({
      firstName: "Piet",
      lastName: "Jansen",
      phone: "+31623456789",
      tags: ["Klanten"],
    });
    expect(byEmail(contacts, "support@acme.example")).toMatchObject({
      firstName: "Acme",
      lastName: "Support",
      tags: [],
    });
  });

  it("maps Outlook's export with its many empty columns and ;-separated categories", async () => {
    const ws = await createWorkspace(server);
    const file = csvFile(OUTLOOK, [
      {
        "First Name": "Anna",
        "Last Name": "Smit",
        "E-mail Address": "anna@example.nl",
        "E-mail 2 Address": "anna.smit@work.example",
        "Mobile Phone": "06 34567890",
        "Business Phone": "+31 10 123 4567",
        Company: "Smit BV",
        Categories: "myContacts;Leveranciers",
      },
      {
        "First Name": "Karel",
        "Last Name": "Peeters",
        "E-mail 2 Address": "karel@example.be",
        "Business Phone": "+32 3 123 45 67",
        Categories: "Klanten;Leveranciers",
      },
    ]);
    const ready = await analysed(ws.admin, "outlook.csv", file);
    expect(ready.columns).toHaveLength(88);
    expect(ready.mapping).toMatchObject({
      "First Name": "firstName",
      "Middle Name": null,
      "Last Name": "lastName",
      Title: null,
      "E-mail Address": "email",
      "E-mail 2 Address": "email",
      "E-mail 3 Address": "email",
      "Primary Phone": "phone",
      "Home Phone": "phone",
      "Mobile Phone": "phone",
      "Business Phone": "phone",
      "Business Fax": null,
      "Company Main Phone": null,
      "Assistant's Phone": null,
      Pager: null,
      Company: null,
      Categories: "tags",
    });
    expect(ready.preview[0].notes).toEqual([
      {
        column: "E-mail 2 Address",
        message: "is not imported: a contact has one e-mail address, from E-mail Address",
      },
      { column: "Business Phone", message: "is not imported: a contact has one phone number, from Mobile Phone" },
    ]);
    const done = await run(ws.admin, ready.id);
    expect(done.result).toEqual({ created: 2, updated: 0, skipped: 0, failed: 0 });
    const contacts = await allContacts(ws.admin);
    expect(byEmail(contacts, "anna@example.nl")).toMatchObject({
      firstName: "Anna",
      lastName: "Smit",
      phone: "+31634567890",
      tags: ["Leveranciers"],
    });
    expect(byEmail(contacts, "karel@example.be")).toMatchObject({
      phone: "+3231234567",
      tags: ["Klanten", "Leveranciers"],
    });
  });

  it("maps HubSpot's export: Record ID as external id, the phone or else the mobile", async () => {
    const ws = await createWorkspace(server);
    const file = csvFile(HUBSPOT, [
      {
        "Record ID": "51",
        "First Name": "Sanne",
        "Last Name": "Bakker",
        Email: "sanne@example.nl",
        "Mobile Phone Number": "+31 6 45678901",
        "Contact owner": "Ann Admin",
        "Lifecycle Stage": "Lead",
        "Create Date": "2024-03-01 10:12",
      },
      {
        "Record ID": "52",
        "First Name": "Tom",
        "Last Name": "Visser",
        Email: "tom@example.nl",
        "Phone Number": "+31 20 765 4321",
        "Mobile Phone Number": "+31 6 56789012",
        "Lifecycle Stage": "Customer",
      },
    ]);
    const ready = await analysed(ws.admin, "hubspot-crm-exports-all-contacts-2024-05-02.csv", file);
    expect(ready.mapping).toEqual({
      "Record ID": "externalId",
      "First Name": "firstName",
      "Last Name": "lastName",
      Email: "email",
      "Phone Number": "phone",
      "Mobile Phone Number": "phone",
      "Contact owner": null,
      "Lifecycle Stage": null,
      "Lead Status": null,
      "Create Date": null,
      "Last Activity Date": null,
      "Marketing contact status": null,
    });
    await run(ws.admin, ready.id);
    const contacts = await allContacts(ws.admin);
    expect(byEmail(contacts, "sanne@example.nl")).toMatchObject({ externalId: "51", phone: "+31645678901" });
    expect(byEmail(contacts, "tom@example.nl")).toMatchObject({ externalId: "52", phone: "+31207654321" });

    // The same export again finds every contact by its external id: updated, none created.
    const again = await importFile(ws.admin, "hubspot.csv", file, { onDuplicate: "skip" });
    expect(again.result).toEqual({ created: 0, updated: 0, skipped: 2, failed: 0 });
  });

  it("maps Chatwoot's export: one name column split into first and last name", async () => {
    const ws = await createWorkspace(server);
    const file = csvFile(
      CHATWOOT,
      [
        {
          id: "12",
          name: "Fatima El Amrani",
          email: "fatima@example.ma",
          phone_number: "+212612345678",
          identifier: "crm-889",
        },
        { id: "13", name: "Smith, John", email: "john@example.com" },
        // Chatwoot names a WhatsApp or SMS contact after its number: that is no name.
        { id: "14", name: "+31687654321", phone_number: "+31687654321" },
        { id: "15", name: "Madonna", email: "madonna@example.com" },
      ],
      { eol: "\n" },
    );
    const ready = await analysed(ws.admin, "Acme_1_contacts.csv", file);
    expect(ready.mapping).toEqual({
      id: null,
      name: "name",
      email: "email",
      phone_number: "phone",
      identifier: "externalId",
    });
    const done = await run(ws.admin, ready.id);
    expect(done.result).toEqual({ created: 4, updated: 0, skipped: 0, failed: 0 });
    const contacts = await allContacts(ws.admin);
    expect(byEmail(contacts, "fatima@example.ma")).toMatchObject({
      firstName: "Fatima",
      lastName: "El Amrani",
      phone: "+212612345678",
      externalId: "crm-889",
    });
    expect(byEmail(contacts, "john@example.com")).toMatchObject({ firstName: "John", lastName: "Smith" });
    expect(byEmail(contacts, "madonna@example.com")).toMatchObject({ firstName: "Madonna", lastName: null });
    expect(contacts.find((c) => c.phone === "+31687654321")).toMatchObject({ firstName: null, lastName: null });
  });

  it("maps Twenty's export: composite columns, the phone read in its own country", async () => {
    const ws = await createWorkspace(server);
    const file = csvFile(
      TWENTY,
      [
        {
          Id: "0aa0bb1c-0d7e-4b5e-9a52-6f1f3c4d5e6f",
          "Name / First Name": "Lucas",
          "Name / Last Name": "Martin",
          "Emails / Primary Email": "lucas@example.fr",
          "Emails / Additional Emails": '["l.martin@example.com"]',
          "Phones / Primary Phone Number": "612345678",
          "Phones / Primary Phone Country Code": "FR",
          "Phones / Primary Phone Calling Code": "+33",
          "Phones / Additional Phones": "[]",
          City: "Lyon",
          "Created by / Source": "MANUAL",
          "Creation date": "2025-01-15T09:30:00.000Z",
        },
        {
          Id: "1bb1cc2d-1e8f-4c6f-8b63-7a2a4d5e6f70",
          "Name / First Name": "Elise",
          "Name / Last Name": "Claes",
          "Emails / Primary Email": "elise@example.be",
          "Phones / Primary Phone Number": "470123456",
          "Phones / Primary Phone Country Code": "BE",
          "Created by / Source": "IMPORT",
        },
      ],
      { bom: true, eol: "\n" },
    );
    const ready = await analysed(ws.admin, "people.csv", file);
    expect(ready.mapping).toMatchObject({
      Id: "externalId",
      "Name / First Name": "firstName",
      "Name / Last Name": "lastName",
      "Emails / Primary Email": "email",
      "Emails / Additional Emails": null,
      "Phones / Primary Phone Number": "phone",
      "Phones / Primary Phone Country Code": null,
      "Phones / Primary Phone Calling Code": null,
      "Phones / Additional Phones": null,
      "Job Title": null,
      City: null,
    });
    expect(ready.preview[0].errors).toEqual([]);
    const done = await run(ws.admin, ready.id);
    expect(done.result).toEqual({ created: 2, updated: 0, skipped: 0, failed: 0 });
    const contacts = await allContacts(ws.admin);
    // The workspace reads national numbers in NL; Twenty said these were French and Belgian.
    expect(byEmail(contacts, "lucas@example.fr")).toMatchObject({
      firstName: "Lucas",
      lastName: "Martin",
      phone: "+33612345678",
      externalId: "0aa0bb1c-0d7e-4b5e-9a52-6f1f3c4d5e6f",
    });
    expect(byEmail(contacts, "elise@example.be")).toMatchObject({ phone: "+32470123456" });
  });

  it("reads vCard 3.0 (Apple): BOM, folded lines, several TELs and EMAILs, a photo, categories", async () => {
    const ws = await createWorkspace(server);
    const photo = Buffer.alloc(3000, 7).toString("base64");
    const foldedPhoto = photo.match(/.{1,74}/g)?.join("\r\n ") as string;
    const vcf = [
      "\uFEFFBEGIN:VCARD",
      "VERSION:3.0",
      "PRODID:-//Apple Inc.//iPhone OS 17.4//EN",
      "N:de Vries;Zoë;;;",
      "FN:Zoë de",
      "  Vries",
      "ORG:Vries & Co;",
      "item1.EMAIL;type=INTERNET;type=HOME:zoe@home.example",
      "item1.X-ABLabel:_$!<Home>!$_",
      "EMAIL;type=INTERNET;type=WORK;type=pref:zoe@example.nl",
      "TEL;type=CELL;type=VOICE;type=pref:06 1234",
      " 5678",
      "TEL;type=WORK;type=VOICE:+31 20 123 4567",
      "TEL;type=HOME;type=VOICE:+31 20 765 4321",
      "CATEGORIES:Friends,VIP",
      `PHOTO;ENCODING=b;TYPE=JPEG:${foldedPhoto}`,
      "NOTE:Likes\\, among others\\, tea\\nand coffee",
      "END:VCARD",
      "BEGIN:VCARD",
      "VERSION:3.0",
      "N:Jansen;Jan;;;",
      "FN:Jan Jansen",
      "TEL;type=CELL:+32 470 12 34 56",
      "END:VCARD",
      "BEGIN:VCARD",
      "VERSION:3.0",
      "FN:",
      "NOTE:nobody",
      "END:VCARD",
      "",
    ].join("\r\n");
    const ready = await analysed(ws.admin, "Contacts.vcf", vcf);
    expect(ready).toMatchObject({
      status: "ready",
      format: "vcard",
      encoding: "utf-8",
      delimiter: null,
      columns: ["FN", "N", "EMAIL", "EMAIL 2", "TEL", "TEL 2", "TEL 3", "LANG", "TZ", "UID", "CATEGORIES"],
      mapping: {
        FN: "name",
        N: "name",
        EMAIL: "email",
        "EMAIL 2": "email",
        TEL: "phone",
        "TEL 2": "phone",
        "TEL 3": "phone",
        LANG: "language",
        TZ: "timezone",
        UID: "externalId",
        CATEGORIES: "tags",
      },
      progress: { total: 3 },
    });
    expect(ready.preview).toHaveLength(3);
    expect(ready.preview[0]).toMatchObject({
      row: 2,
      // The preferred e-mail address comes first.
      values: [
        "Zoë de Vries",
        "de Vries;Zoë;;;",
        "zoe@example.nl",
        "zoe@home.example",
        "06 12345678",
        "+31 20 123 4567",
        "+31 20 765 4321",
        "",
        "",
        "",
        "Friends, VIP",
      ],
      errors: [],
      notes: [
        { column: "EMAIL 2", message: "is not imported: a contact has one e-mail address, from EMAIL" },
        { column: "TEL 2", message: "is not imported: a contact has one phone number, from TEL" },
        { column: "TEL 3", message: "is not imported: a contact has one phone number, from TEL" },
      ],
    });
    expect(ready.preview[2].errors).toEqual([
      {
        field: "firstName",
        message: "a contact needs at least one of first name, last name, email, phone or external id",
      },
    ]);
    const done = await run(ws.admin, ready.id);
    expect(done.result).toEqual({ created: 2, updated: 0, skipped: 0, failed: 1 });
    const contacts = await allContacts(ws.admin);
    expect(byEmail(contacts, "zoe@example.nl")).toMatchObject({
      firstName: "Zoë",
      lastName: "de Vries",
      phone: "+31612345678",
      tags: ["Friends", "VIP"],
    });
    expect(contacts.find((c) => c.phone === "+32470123456")).toMatchObject({ firstName: "Jan", lastName: "Jansen" });
    const errors = await ws.admin.get(`/imports/${ready.id}/errors`);
    expect(errors.text.split("\r\n")[0]).toBe("FN,N,EMAIL,EMAIL 2,TEL,TEL 2,TEL 3,LANG,TZ,UID,CATEGORIES,Error");
  });

  it("reads vCard 4.0: LANG, TZ, UID as external id, tel: URIs, and finds a card again by its UID", async () => {
    const ws = await createWorkspace(server);
    const vcf = [
      "BEGIN:VCARD",
      "VERSION:4.0",
      "UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1",
      "FN;PID=1.1:Marie Dubois",
      "N:Dubois;Marie;;Mme;",
      "LANG;PREF=2:en",
      "LANG;PREF=1:fr-FR",
      "TZ:Europe/Paris",
      'TEL;VALUE=uri;PREF=1;TYPE="voice,cell":tel:+33-6-12-34-56-78',
      "TEL;VALUE=uri;TYPE=work:tel:+33-1-23-45-67-89;ext=102",
      "EMAIL;TYPE=work:marie@example.fr",
      "CATEGORIES:Partners",
      "CATEGORIES:Paris,Press",
      "PHOTO:data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD",
      "END:VCARD",
      "BEGIN:VCARD",
      "VERSION:4.0",
      "UID:urn:uuid:7d5a2a2e-8bd9-4e43-9b43-a1b2c3d4e5f6",
      "FN:Henk",
      "LANG:nl",
      "TZ:Europe/Amsterdam",
      "END:VCARD",
    ].join("\n");
    const ready = await analysed(ws.admin, "export.vcf", vcf);
    expect(ready.columns).toEqual(["FN", "N", "EMAIL", "TEL", "TEL 2", "LANG", "TZ", "UID", "CATEGORIES"]);
    const done = await run(ws.admin, ready.id);
    expect(done.result).toEqual({ created: 2, updated: 0, skipped: 0, failed: 0 });
    const contacts = await allContacts(ws.admin);
    expect(byEmail(contacts, "marie@example.fr")).toMatchObject({
      firstName: "Marie",
      lastName: "Dubois",
      phone: "+33612345678",
      language: "fr-FR",
      timezone: "Europe/Paris",
      externalId: "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1",
      tags: ["Paris", "Partners", "Press"],
    });
    expect(contacts.find((c) => c.firstName === "Henk")).toMatchObject({
      language: "nl",
      timezone: "Europe/Amsterdam",
      externalId: "urn:uuid:7d5a2a2e-8bd9-4e43-9b43-a1b2c3d4e5f6",
    });
    // The same file again: every card is found by its UID.
    const again = await importFile(ws.admin, "export.vcf", vcf);
    expect(again.result).toEqual({ created: 0, updated: 2, skipped: 0, failed: 0 });
    expect(await allContacts(ws.admin)).toHaveLength(2);
  });

  it("reads a vCard 2.1 file: quoted-printable with soft line breaks, CHARSET, bare parameters", async () => {
    const ws = await createWorkspace(server);
    // ISO-8859-1 bytes in quoted-printable inside a file that is otherwise ASCII, as old phones wrote it.
    const vcf = [
      "BEGIN:VCARD",
      "VERSION:2.1",
      "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCr=",
      "gen;;;",
      "FN;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:J=FCrgen M=FCller",
      "TEL;CELL;PREF:+49 170 1234567",
      "TEL;HOME:+49 30 1234567",
      "EMAIL;INTERNET:juergen@example.de",
      "NOTE;ENCODING=QUOTED-PRINTABLE:Erste Zeile=0D=0A=",
      "Zweite Zeile",
      "PHOTO;JPEG;ENCODING=BASE64:",
      " /9j/4AAQSkZJRgABAQAAAQABAAD",
      "",
      "END:VCARD",
      "BEGIN:VCARD",
      "VERSION:2.1",
      "N;CHARSET=ISO-8859-1;QUOTED-PRINTABLE:Fran=E7ois;Ren=E9e",
      "TEL;WORK;VOICE:0612345678",
      "END:VCARD",
    ].join("\r\n");
    const ready = await analysed(ws.admin, "phonebook.vcf", vcf);
    expect(ready.preview.map((p: any) => p.values.slice(0, 5))).toEqual([
      ["Jürgen Müller", "Müller;Jürgen;;;", "juergen@example.de", "+49 170 1234567", "+49 30 1234567"],
      ["", "François;Renée", "", "0612345678", ""],
    ]);
    const done = await run(ws.admin, ready.id);
    expect(done.result).toEqual({ created: 2, updated: 0, skipped: 0, failed: 0 });
    const contacts = await allContacts(ws.admin);
    expect(byEmail(contacts, "juergen@example.de")).toMatchObject({
      firstName: "Jürgen",
      lastName: "Müller",
      phone: "+491701234567",
    });
    expect(contacts.find((c) => c.phone === "+31612345678")).toMatchObject({
      firstName: "Renée",
      lastName: "François",
    });
  });

  it("reads a vCard written in Windows-1252 (Outlook's), with its CHARSET and quoted-printable", async () => {
    const ws = await createWorkspace(server);
    const vcf = Buffer.from(
      [
        "BEGIN:VCARD",
        "VERSION:2.1",
        // "’" is 0x92 in Windows-1252, "é" 0xE9: the bytes as Outlook writes them.
        "N;LANGUAGE=nl;CHARSET=Windows-1252:Bakkerij \x92t Hoekje;Ren\xe9e",
        "FN;CHARSET=Windows-1252:Ren\xe9e Bakkerij \x92t Hoekje",
        "TEL;WORK;VOICE:+31 30 123 4567",
        "EMAIL;PREF;INTERNET:renee@example.nl",
        "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=Windows-1252:Caf=E9 =80 5",
        "END:VCARD",
      ].join("\r\n"),
      "latin1",
    );
    const ready = await analysed(ws.admin, "Renée.vcf", vcf);
    expect(ready).toMatchObject({ format: "vcard", encoding: "windows-1252" });
    await run(ws.admin, ready.id);
    expect((await allContacts(ws.admin))[0]).toMatchObject({
      firstName: "Renée",
      lastName: "Bakkerij ’t Hoekje",
      email: "renee@example.nl",
      phone: "+31301234567",
    });
  });

  it("tells a vCard by its content, and refuses a .vcf that is none", async () => {
    const ws = await createWorkspace(server);
    const byContent = await analysed(ws.admin, "contacts.txt", "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nEND:VCARD\n");
    expect(byContent).toMatchObject({ status: "ready", format: "vcard" });
    const notVcard = await analysed(ws.admin, "contacts.vcf", "Name,Email\nAnn,ann@example.com\n");
    expect(notVcard).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/named \.vcf but is not a vCard file/),
    });
    const empty = await analysed(ws.admin, "empty.vcf", "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\n");
    expect(empty).toMatchObject({ status: "failed", error: expect.stringMatching(/no contact card/) });
  });
});
