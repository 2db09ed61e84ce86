// Injection tokens for what the composition root builds before Nest starts: the parsed config and the logger.
export const SERVER_CONFIG = Symbol('SERVER_CONFIG');
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');
