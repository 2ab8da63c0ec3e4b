import { SetMetadata } from '@nestjs/common';
import type { Operation } from '@tierwise/contract';

export const OPERATION_METADATA = 'tierwise:operation';

/**
 * Links a handler to its operation in @tierwise/contract (method, path, schemas): the contract test
 * checks that every route is an operation of the document with the same method, path and status.
 */
export const ContractOperation = (op: Operation) => SetMetadata(OPERATION_METADATA, op);
