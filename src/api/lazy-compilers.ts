import { createRequire } from 'node:module';
import type AjvCompilerModule from '@fastify/ajv-compiler';
import type SerializerSelectorModule from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<CompilersFactory['buildValidator']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;
type Validate = ReturnType<ReturnType<ValidatorFactory>>;
type Serialize = (doc: unknown) => string;

export interface LazyCompilers {
  readonly factory: CompilersFactory;
  /** Compiles what no request has compiled yet, returning how many; throws naming the route whose schema does not compile. */
  compileRemaining(): number;
}

/**
 * Fastify's own compilers (Ajv for requests, fast-json-stringify for
 * responses), but each route's validator and serializer is compiled on its
 * first use or by `compileRemaining()` instead of before the server listens:
 * compiling every route took ~170 ms of a ~850 ms start. The compilers
 * themselves (~45 ms to load) are required, synchronously as Fastify calls
 * them, on the first compilation.
 */
export function lazyCompilers(): LazyCompilers {
  const require = createRequire(import.meta.url);
  let validators: ReturnType<typeof AjvCompilerModule> | undefined;
  let serializers: ReturnType<typeof SerializerSelectorModule> | undefined;
  const ajv = () => (validators ??= (require('@fastify/ajv-compiler') as typeof AjvCompilerModule)());
  const fastJsonStringify = () => (serializers ??= (require('@fastify/fast-json-stringify-compiler') as typeof SerializerSelectorModule)());
  const pending = new Set<{ readonly route: string; compile(): void }>();
  const once = <F>(route: string, compile: () => F): (() => F) => {
    let compiled: F | undefined;
    const entry = { route, compile: () => void get() };
    const get = (): F => {
      if (compiled === undefined) {
        compiled = compile();
        pending.delete(entry);
      }
      return compiled;
    };
    pending.add(entry);
    return get;
  };
  const describe = (r: { method?: string; url?: string; httpPart?: string; httpStatus?: string }): string =>
    `${r.method} ${r.url} ${r.httpPart ?? `response ${r.httpStatus}`}`;

  const buildValidator: ValidatorFactory = (externalSchemas, options) => {
    let compiler: ReturnType<ValidatorFactory> | undefined;
    return (route) => lazyValidator(once(describe(route), () => (compiler ??= ajv()(externalSchemas, options))(route)));
  };
  const buildSerializer: SerializerFactory = (externalSchemas, options) => {
    let compiler: ReturnType<SerializerFactory> | undefined;
    return (route) => {
      const serializer = once<Serialize>(describe(route), () => (compiler ??= fastJsonStringify()(externalSchemas, options))(route));
      return (doc) => serializer()(doc);
    };
  };
  return {
    factory: { buildValidator, buildSerializer },
    compileRemaining() {
      const count = pending.size;
      for (const entry of pending) {
        try {
          entry.compile();
        } catch (error) {
          throw new Error(`schema of ${entry.route} does not compile: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return count;
    },
  };
}

/**
 * Fastify reads `errors` off the function after a failed call, and passes the
 * request as parent data (so Ajv may coerce a root value) only to functions
 * that carry `schemaEnv`, as Ajv's do; the wrapper mirrors both.
 */
function lazyValidator(compiled: () => Validate): Validate {
  const validate = ((data: unknown, context?: object) => {
    const real = compiled();
    const valid = (real as (data: unknown, context?: object) => unknown)(data, context);
    validate.errors = real.errors ?? null;
    return valid;
  }) as Validate;
  Object.assign(validate, { errors: null, schemaEnv: true });
  return validate;
}
