// Values shared by the scenarios and the server configuration they need.
import { digestId } from '../support/raw-ops';

/** The operator identity: `super:secret`, passed to both servers as DigestAuthenticationProvider.superDigest. */
export const SUPER_USER = 'super';
export const SUPER_PASSWORD = 'secret';
export const SUPER_DIGEST = digestId(SUPER_USER, SUPER_PASSWORD);
