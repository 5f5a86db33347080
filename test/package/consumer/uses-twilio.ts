// Control: the Twilio entry's types need twilio, which this project lacks, so this must not compile.
import { createApiUrlHttpClient } from 'express-device-2fa/twilio';

export const client = createApiUrlHttpClient;
