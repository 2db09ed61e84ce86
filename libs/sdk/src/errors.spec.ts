import { ErrorCode } from '@zk/wire';
import { describe, expect, it } from 'vitest';
import { BadVersionError, ClientClosedError, ConnectionLossError, errorFromCode, NoNodeError, NodeExistsError, ZooKeeperError } from './errors';

describe('errorFromCode', () => {
  it.each(Object.entries(ErrorCode).filter(([, code]) => code !== 0))('maps %s (%i) to an error with that code', (name, code) => {
    const error = errorFromCode(code, '/a');
    expect(error).toBeInstanceOf(ZooKeeperError);
    expect(error.code).toBe(code);
    expect(error.codeName).toBe(name);
    expect(error.path).toBe('/a');
  });

  it.each([
    [ErrorCode.noNode, NoNodeError, 'NoNodeError'],
    [ErrorCode.badVersion, BadVersionError, 'BadVersionError'],
    [ErrorCode.nodeExists, NodeExistsError, 'NodeExistsError'],
  ] as const)('code %i is an instance of its named class', (code, errorClass, name) => {
    const error = errorFromCode(code);
    expect(error).toBeInstanceOf(errorClass);
    expect(error.name).toBe(name);
    expect(error.message).toContain(String(code));
  });

  it('keeps unknown codes as a plain ZooKeeperError', () => {
    const error = errorFromCode(-999);
    expect(error.constructor).toBe(ZooKeeperError);
    expect(error.code).toBe(-999);
  });

  it('refuses code 0', () => {
    expect(() => errorFromCode(0)).toThrow(RangeError);
  });

  it('a closed client fails requests with a connection-loss code', () => {
    const error = new ClientClosedError();
    expect(error).toBeInstanceOf(ConnectionLossError);
    expect(error.code).toBe(ErrorCode.connectionLoss);
  });
});
