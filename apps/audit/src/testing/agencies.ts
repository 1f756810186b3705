// The test auditors outside 砚山县's oversight are shared with the owning services' as-of tests.
export { agenciesWithOutsideAuditors, OTHER_COUNTY_AUDITOR, OTHER_PROVINCE_AUDITOR } from '../../../../packages/platform/src/testing/outside-auditors';
