export * from './types';
export * from './templates';
