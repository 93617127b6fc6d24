/** The server's field limits (src/contacts/limits.ts, constants only), for the inputs' maxLength. */
export { LIMITS } from "../../../src/contacts/limits.ts";
