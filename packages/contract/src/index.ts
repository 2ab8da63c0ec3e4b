/**
 * The Tierwise HTTP API contract: request and response schemas defined once (zod 4), each
 * operation declared with `defineOperation`, and the OpenAPI 3.1 document built from them.
 * The API validates input with these schemas and serves the document at /api/openapi.json;
 * the console's types are generated from the document.
 */
import { allOperations } from './registry';
import { buildOpenApiDocument, OpenApiDocument } from './openapi';
import * as core from './operations/core';
import * as catalog from './operations/catalog';
import * as policies from './operations/policies';
import * as evaluation from './operations/evaluation';
import * as policyFiles from './operations/policy-files';
import * as audit from './operations/audit';
import * as templates from './operations/templates';
import * as datasets from './operations/datasets';
import * as rating from './operations/rating';
import * as ratingCycles from './operations/rating-cycles';
import * as overrides from './operations/overrides';
import * as webhooks from './operations/webhooks';
import * as entitlements from './operations/entitlements';

export * from './common';
export * from './components';
export * from './engine';
export * from './registry';
export { buildOpenApiDocument, COMPONENT_PREFIX, documentedAs } from './openapi';
export type { OpenApiDocument } from './openapi';
export { core, catalog, policies, evaluation, policyFiles, audit, templates, datasets, rating, ratingCycles, overrides, webhooks, entitlements };
export { ROLES } from './operations/core';

let cached: OpenApiDocument | undefined;
/** The document of every declared operation (built once). */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildOpenApiDocument(allOperations());
  return cached;
}
