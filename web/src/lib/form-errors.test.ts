import { describe, expect, it } from "vitest";
import { ApiError } from "./api-client.ts";
import { formErrors } from "./form-errors.ts";

/** A form's labels and aliases, as the contact form passes them. */
const FIELD_LABELS = {
  firstName: "First name",
  lastName: "Last name",
  email: "Email",
  phone: "Phone",
  language: "Language",
  timezone: "Timezone",
  externalId: "External ID",
};
const FIELD_ALIASES = { phoneCountry: "phone" };

const problem = (body: ConstructorParameters<typeof ApiError>[0]) => new ApiError(body);

describe("formErrors", () => {
  it("puts each 422 error beside its field, by the field's label", () => {
    const errors = formErrors(
      problem({
        status: 422,
        detail: "email: is not a valid e-mail address; timezone: is not an IANA time zone",
        errors: [
          { field: "email", message: "is not a valid e-mail address" },
          { field: "timezone", message: "is not an IANA time zone" },
        ],
      }),
      FIELD_LABELS,
    );
    expect(errors).toEqual({
      fields: { email: "Email is not a valid e-mail address.", timezone: "Timezone is not an IANA time zone." },
      form: undefined,
      conflict: undefined,
    });
  });

  it("shows an error of a field the form does not show under the field it belongs to", () => {
    const errors = formErrors(
      problem({ status: 422, errors: [{ field: "phoneCountry", message: "is not a country" }] }),
      FIELD_LABELS,
      FIELD_ALIASES,
    );
    expect(errors.fields).toEqual({ phone: "Phone is not a country." });
  });

  it("turns a 409 into a message beside the field and the id of the contact that has it", () => {
    const errors = formErrors(
      problem({
        status: 409,
        detail: "Another contact of this workspace already has this email address.",
        field: "email",
        conflictingContactId: "c0ffee00-0000-4000-8000-000000000000",
        errors: [{ field: "email", message: "is already used by another contact" }],
      }),
      FIELD_LABELS,
    );
    expect(errors.fields.email).toBe("Another contact already has this email.");
    expect(errors.conflict).toEqual({ field: "email", id: "c0ffee00-0000-4000-8000-000000000000" });
    expect(errors.form).toBeUndefined();
  });

  it("keeps errors of unknown fields in the form message, and the detail when no field is named", () => {
    expect(
      formErrors(problem({ status: 422, errors: [{ field: "tags[0]", message: "is too long" }] }), FIELD_LABELS),
    ).toMatchObject({ fields: {}, form: "Tags[0] is too long." });
    expect(formErrors(problem({ status: 403, detail: "Only admins may do this." }), FIELD_LABELS)).toMatchObject({
      fields: {},
      form: "Only admins may do this.",
    });
  });

  it("says the server could not be reached when the request failed before an answer", () => {
    expect(formErrors(new TypeError("Failed to fetch"), FIELD_LABELS).form).toMatch(/could not be reached/);
  });
});
