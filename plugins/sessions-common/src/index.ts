/**
 * Types, permissions, request schemas and duration formatting shared by the
 * Active Sessions frontend and backend plugins.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './grants';
export * from './permissions';
export * from './schemas';
export * from './safeText';
export * from './instants';
export * from './durations';
export * from './cuts';
export * from './mfa';
export * from './offboarding';
export * from './portal';
export * from './entityRefs';
