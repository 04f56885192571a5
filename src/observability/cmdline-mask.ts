/**
 * Masks secrets in a process command line before it is shown by /system/metrics.
 *
 * People start services with credentials on the command line (`--token=...`,
 * `DB_PASSWORD=... node ...` through `env`, a database URL with a password); the metrics
 * endpoint must never echo them. Masking errs on the side of hiding: a harmless value that
 * follows a secret-looking flag is hidden too. Short flags (`-p`) are left alone: they are
 * too ambiguous (`-p 8080`) and tools rarely take secrets that way.
 */

export const MASK = '***';

/** Names that are secrets wherever they appear, even glued to other words (`DBPASSWORD`). */
const SECRET_SUBSTRINGS = ['password', 'passwd', 'secret', 'token', 'apikey', 'accesskey', 'privatekey', 'webhook', 'credential'];
/** Words too short to match inside other words (`keep`, `passage`): matched as whole name parts. */
const SECRET_WORDS = new Set(['key', 'keys', 'pass', 'pwd', 'auth', 'authorization', 'cookie', 'session', 'dsn', 'creds']);

/** Whether an option or variable name (`--api-key`, `DB_PASSWORD`, `authToken`) names a secret. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const joined = words.join('');
  return SECRET_SUBSTRINGS.some((part) => joined.includes(part)) || words.some((word) => SECRET_WORDS.has(word));
}

/** Discord webhook URLs carry their own credential in the path. */
const DISCORD_WEBHOOK = /(https?:\/\/(?:[\w-]+\.)?discord(?:app)?\.com\/api(?:\/v\d+)?\/webhooks\/)[^\s"']+/gi;
/**
 * `scheme://user:password@host` keeps the user and hides the password; a bare
 * `scheme://token@host` hides the whole userinfo, since tokens are often passed that way.
 * The userinfo runs to the last `@` before the path, so a raw `@` in a password is covered.
 */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]*)@/gi;
const BEARER = /\b(bearer|basic)\s+[^\s"']+/gi;

/** Masks secrets that can appear inside any text: URLs with credentials, webhooks, auth headers. */
export function maskText(text: string): string {
  return text
    .replace(DISCORD_WEBHOOK, `$1${MASK}`)
    .replace(URL_USERINFO, (_match, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return colon === -1 ? `${scheme}${MASK}@` : `${scheme}${userinfo.slice(0, colon)}:${MASK}@`;
    })
    .replace(BEARER, `$1 ${MASK}`);
}

/** `--name=value`, `-name=value` or `NAME=value`. */
const ASSIGNMENT = /^(-{0,2})([A-Za-z_][\w.-]*)=(.*)$/s;
/** A long option given without a value: its value may be the next argument. */
const LONG_FLAG = /^--?([A-Za-z][\w.-]*)$/;

export function maskCmdline(args: readonly string[]): string[] {
  const masked: string[] = [];
  let hideNext = false;
  for (const arg of args) {
    if (hideNext) {
      masked.push(MASK);
      hideNext = false;
      continue;
    }
    const assignment = ASSIGNMENT.exec(arg);
    if (assignment) {
      const [, dashes, name, value] = assignment as unknown as [string, string, string, string];
      const hidden = isSecretName(name) && value !== '' ? MASK : maskText(value);
      masked.push(`${dashes}${name}=${hidden}`);
      continue;
    }
    const flag = LONG_FLAG.exec(arg);
    // `-p` style short flags are excluded by requiring two or more letters in the name.
    if (flag && flag[1]!.length > 1 && isSecretName(flag[1]!)) hideNext = true;
    masked.push(maskText(arg));
  }
  return masked;
}
