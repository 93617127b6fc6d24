import { Link } from "@tanstack/react-router";
import { type FormEvent, useMemo, useState } from "react";
import { Button } from "react-aria-components";
import { TextInput } from "../../../components/TextInput.tsx";
import { ApiError } from "../../../lib/api-client.ts";
import { phoneCountries } from "../../../lib/countries.ts";
import { formErrors, NO_ERRORS } from "../../../lib/form-errors.ts";
import { useSetup } from "../api/session.ts";
import type { SetupStatus } from "../api/setup-status.ts";

const LABELS = { workspaceName: "Workspace name", name: "Your name", email: "Email", password: "Password" };
/** The API's minimum, checked here too so the user learns it before sending. */
const MIN_PASSWORD = 12;

/** The browser's region (en-GB → GB) as the first guess for the workspace's phone country. */
function browserCountry(): string {
  try {
    return new Intl.Locale(navigator.language).maximize().region ?? "NL";
  } catch {
    return "NL";
  }
}

/**
 * First run (or a new workspace, with ALLOW_SIGNUP): creates the workspace and its first
 * admin, then signs them in. Links to sign-in unless the server is new (nobody to sign in).
 */
export function SetupPage({ status }: { status: SetupStatus }) {
  const [form, setForm] = useState({ workspaceName: "", name: "", email: "", password: "" });
  const [country, setCountry] = useState(browserCountry);
  const [errors, setErrors] = useState(NO_ERRORS);
  const [closed, setClosed] = useState(false);
  const countries = useMemo(() => phoneCountries(), []);
  const setup = useSetup();
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (value: string) => setForm((current) => ({ ...current, [name]: value })),
    error: errors.fields[name],
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (form.password.length < MIN_PASSWORD) {
      setErrors({ fields: { password: `Password must be at least ${MIN_PASSWORD} characters.` } });
      return;
    }
    setErrors(NO_ERRORS);
    setup.mutate(
      { ...form, defaultCountry: country },
      {
        onError: (error) => {
          const mapped = formErrors(error, LABELS);
          setClosed(error instanceof ApiError && error.status === 403);
          setErrors(mapped);
        },
      },
    );
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} noValidate>
        <h1>Set up Contacts</h1>
        <p className="muted">Create the workspace and its first administrator.</p>
        <TextInput label="Workspace name" autoComplete="organization" autoFocus {...field("workspaceName")} />
        <TextInput label="Your name" autoComplete="name" {...field("name")} />
        <TextInput label="Email" type="email" autoComplete="username" {...field("email")} />
        <TextInput label="Password" type="password" autoComplete="new-password" {...field("password")} />
        <label className="field">
          <span>Country of your phone numbers</span>
          <select value={country} onChange={(event) => setCountry(event.target.value)}>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        {errors.form && (
          <p className="form-error" role="alert">
            {errors.form} {closed && <Link to="/login">Sign in</Link>}
          </p>
        )}
        <Button type="submit" className="button primary" isPending={setup.isPending}>
          Create workspace
        </Button>
        {!status.firstRun && (
          <p className="muted">
            Already have an account? <Link to="/login">Sign in</Link>
          </p>
        )}
      </form>
    </main>
  );
}
