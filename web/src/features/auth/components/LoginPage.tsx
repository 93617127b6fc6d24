import { Link } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { Button } from "react-aria-components";
import { FormError } from "../../../components/FormError.tsx";
import { TextInput } from "../../../components/TextInput.tsx";
import { formErrors, NO_ERRORS } from "../../../lib/form-errors.ts";
import { useLogin } from "../api/session.ts";
import type { SetupStatus } from "../api/setup-status.ts";

const LABELS = { email: "Email", password: "Password" };

/** Sign-in; links to setup while the server accepts a new workspace (ALLOW_SIGNUP). */
export function LoginPage({ status }: { status: SetupStatus }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState(NO_ERRORS);
  const login = useLogin();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setErrors(NO_ERRORS);
    login.mutate({ email, password }, { onError: (error) => setErrors(formErrors(error, LABELS)) });
  };

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} noValidate>
        <h1>Sign in to Contacts</h1>
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={setEmail}
          error={errors.fields.email}
          autoFocus
        />
        <TextInput
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={errors.fields.password}
        />
        <FormError message={errors.form} />
        <Button type="submit" className="button primary" isPending={login.isPending}>
          Sign in
        </Button>
        {status.open && (
          <p className="muted">
            New here? <Link to="/setup">Set up a workspace</Link>
          </p>
        )}
      </form>
    </main>
  );
}
