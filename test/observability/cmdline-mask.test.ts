import { describe, expect, it } from 'vitest';
import { isSecretName, maskCmdline, maskText } from '../../src/observability/cmdline-mask.js';

describe('maskCmdline', () => {
  it.each([
    [['node', 'bin/kairos.js', '--token=abc123'], ['node', 'bin/kairos.js', '--token=***']],
    [['kairos', '--password', 'hunter2', 'serve'], ['kairos', '--password', '***', 'serve']],
    [['kairos', '--api-key', 'k1', '--port', '8000'], ['kairos', '--api-key', '***', '--port', '8000']],
    [['kairos', '--apiKey=k1', '--clientSecret', 's'], ['kairos', '--apiKey=***', '--clientSecret', '***']],
    [['env', 'DB_PASSWORD=pw', 'AWS_SECRET_ACCESS_KEY=x', 'PATH=/usr/bin', 'node'], ['env', 'DB_PASSWORD=***', 'AWS_SECRET_ACCESS_KEY=***', 'PATH=/usr/bin', 'node']],
    [['java', '-Dpassword=pw', '-Xmx1g'], ['java', '-Dpassword=***', '-Xmx1g']],
    // A URL password is hidden wherever the URL appears; the user stays readable.
    [['--db', 'postgresql+psycopg://etl:s3cr@t@db:5432/jobs'], ['--db', 'postgresql+psycopg://etl:***@db:5432/jobs']],
    [['MONGO_URI=mongodb://u:p@h1,h2/x?authSource=admin'], ['MONGO_URI=mongodb://u:***@h1,h2/x?authSource=admin']],
    [['git', 'clone', 'https://ghp_abc@github.com/o/r'], ['git', 'clone', 'https://***@github.com/o/r']],
    [['ETL_PROCESS_WEBHOOK=https://discord.com/api/webhooks/1/tok'], ['ETL_PROCESS_WEBHOOK=***']],
    [['notify', 'https://discordapp.com/api/webhooks/123/AbC-d_e'], ['notify', 'https://discordapp.com/api/webhooks/***']],
    [['curl', '-H', 'Authorization: Bearer eyJ.x.y'], ['curl', '-H', 'Authorization: Bearer ***']],
  ])('masks %j', (input, expected) => {
    expect(maskCmdline(input)).toEqual(expected);
  });

  it('leaves ordinary arguments alone', () => {
    const args = ['/usr/bin/node', '--max-old-space-size=512', '--keep-alive', 'bin/kairos.js', 'serve', '-p', '8000', 'https://example.com/a@b'];
    expect(maskCmdline(args)).toEqual(args);
  });

  it('does not hide a value after a short flag (too ambiguous) nor a secret flag given empty', () => {
    expect(maskCmdline(['-k', 'v', '--token='])).toEqual(['-k', 'v', '--token=']);
  });
});

describe('isSecretName', () => {
  it.each(['TOKEN', 'authToken', 'db-passwd', 'PRIVATE_KEY', 'x.key', 'session', 'SQLALCHEMY_WEBHOOK'])('%s is secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });
  it.each(['port', 'keepalive', 'passage', 'monkey', 'writer_name', 'PATH'])('%s is not', (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe('maskText', () => {
  it('masks several secrets in one string', () => {
    expect(maskText('a redis://:pw@h b https://discord.com/api/v10/webhooks/9/t')).toBe('a redis://:***@h b https://discord.com/api/v10/webhooks/***');
  });
});
