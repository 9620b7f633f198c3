namespace TokenService.Tests.Unit.Reporting;

/// <summary>
/// Key material committed for the JSON baseline, so that the report (moduli, certificate serials) is the
/// same on every run. Made for this test with `openssl genrsa 2048` and `openssl ecparam -name prime256v1`;
/// it protects nothing.
/// </summary>
internal static class FixedKeys
{
    public const string RsaPrivateKeyPem = """
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC9/xP19l5xwZ1e
n20RipZOveMUNOgilrxq/t7BcgV96+04HU+3Qja6FiatEjhgCQCDfAyl8hPp8jzS
ies98PmxA9aGZ4ow4+peNrv8JEzjPtOc1oaxOgD72lYGliQj6p/Qce6SY0cSqCUs
zP4vrCsSiEhE+0B7TT/okO3OKVoMRS5423E798KEERccDH7v5Dud+hVKXYcW0XPl
RSCh6MUOi6mePGWwS3iKZ+XLe5SaP5i45SdG7Y+1pPOKFoWTWqx1MI5KrigzZ1HC
6+cJLxpTaPKpfD/kbMQShkvl0zyb4IvFc63A6ZRsc6FLK4f1MdctqQCk4NWWYu8g
Yj+b/dQDAgMBAAECggEAHAzKGiCG3f2LKbqYxCO1QCfJnCSZdu3RIGzDX0Thqa8I
pSWyrKgSY1O83wVXHFqH4GGSjndYWEwijaS9/bWTb35VEB++J6ymX8Vt6HJFhbEz
Va7YUNby6TvZQnytFj5f3MrNQYB1sDvxzRTwnAIrk79aCBEd+nYzrrai3TJ+sFvP
OjPY1zsXjwIQV/q8L2MK0SIxZcGOAxscpKrcdjXWNQOS7TYd8TyA3+/Rv1UyTYOz
JHrnG6Qwh5mY57gOgyVT6ugN//K42z2Vjvljl47dsCtbMdSED+aJZEFBpU4BstsW
fB2OjcOC2dgMLlDdha/LHtlI7qv7Nu0plihTRA2UAQKBgQDfGi8d3X3u3m0pmhvP
Ook38MoIkIKwaiJLBfOaF6CkR2U2b0v82Xe3G3WKv1GxGFeCRzcAjs1xEv1hyIic
HNAshVHCdeCLsf2JowkKYKtELl8WPyHTxqwk9+64bALrja+17Yp8N47UmcRFnzYu
XVspTIob4h7wDDF3CPgdBwQwAwKBgQDaAzDNeSyjsC5L/XJeZeGTyrBR8Wfom/WI
a4x/kQHvhBjCWmVrJRs3oB1mHcy82IuO0AfHARBb60RL784RYjmdO9IE6mMzOlIR
Iq3PjKe7+ejsdSft0YJo3opZc1cwbCM6Ap0sa+rn5fnaAHdEEVP6mwIId7/m6wjv
KOtVmOiMAQKBgFW+1oT/77qyufnXRQDsWnipjryj7dans+5ppyp+EjuRRREazXWs
jxpM72wYA+mwlVF41Wbde5AN4FyImhiF6mxyAO5gJ6EJE4ymoH7gkHJv8BO4x+OA
5ACBWbp/qM+ncPTXCvaa08ZaItkvS7+eGb9Rr3LwATv5M7mwNMvTOoTJAoGBAL1x
qlXSp0SyUvi7i0eWNpgLuH3sTYPnCkx6UIOFiW4NlspEbP7XJriGjSVwXbn4XgVC
po96UDHf1eA6yRF4DmKgWdblqkAYvLmhLfI94n/JIWtgPss8lJr2Trh+LtSoE1BU
dynjuSO8Rwn1/62JdTU+v1yGWp6ZvJC+OQmPrvwBAoGAGpws7ZiG3bg/xvDLYxFx
WffvVvZQSvt9+5pBwQbHAMYu3FyM2hJG9cY7py5ONbAPbDohtEFplAy4kZ224QEh
LaCnk4tUZGWBA9MjhLI0LhKjtV0xVnLC3q4Vys2571JtofZpxkMTVv8GU2nEIleS
0Z2apSlepEMe0lGdZFkvEaM=
-----END PRIVATE KEY-----
""";

    public const string EcPrivateKeyPem = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgBHJqWmBJo8q+t7Zi
kQap333j7GdzLM3p2CkXEti3mjKhRANCAARJMUQV2Dc7rX0X9uovNXrG6fixG0sr
SysYEI4mn22tRrbYf8O2lMN45rnihlz04NYXkNigioyfgIjz9fZvQXtt
-----END PRIVATE KEY-----
""";
}
