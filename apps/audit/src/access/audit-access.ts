import { AUDITORS, type EndpointOptions } from '@atr/platform';

/** Every audit route: auditors and supervisors of the joint-conference office and the procuratorate. */
export const AUDIT_ACCESS: EndpointOptions['allow'] = AUDITORS;
