import { parseArgs } from 'node:util';
import { openConfiguredWarehouse } from '../app/warehouse.js';
import { encryptCredential, parseCredentialKey } from '../warehouse/credentials.js';
import { exportWarehouse, importWarehouse } from '../warehouse/transfer.js';
import { CliError, configFromEnvironment, type Command } from './command.js';

const USAGE = 'usage: kairos warehouse export [--include-credentials] > file.ndjson | import < file.ndjson | encrypt-credential VALUE';

/**
 * `kairos warehouse export|import`: NDJSON between any two adapters
 * (export from one configuration, import into another), streaming and idempotent.
 */
export const warehouseCommand: Command = async (args) => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'include-credentials': { type: 'boolean', default: false } } });
  const [action, value] = positionals;
  const { config } = configFromEnvironment();
  if (action === 'encrypt-credential') {
    if (!value) throw new CliError('usage: kairos warehouse encrypt-credential VALUE (prints enc:v1:... for a portfolio document)');
    if (!config.credentialKey) throw new CliError('set KAIROS_CREDENTIAL_KEY (32 bytes, base64 or hex) first');
    process.stdout.write(`${encryptCredential(value, parseCredentialKey(config.credentialKey))}\n`);
    return 0;
  }
  if (action !== 'export' && action !== 'import') throw new CliError(USAGE);
  const warehouse = await openConfiguredWarehouse(config);
  try {
    const counts =
      action === 'export'
        ? await exportWarehouse(warehouse, process.stdout, { includeCredentials: values['include-credentials'] })
        : await importWarehouse(warehouse, process.stdin);
    process.stderr.write(`${action}: ${JSON.stringify(counts)}\n`);
    return 0;
  } finally {
    await warehouse.close();
  }
};
