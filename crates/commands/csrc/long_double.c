/* INCRBYFLOAT arithmetic in the platform's long double, as redis-server does it:
 * parse both operands with strtold, add, and print with "%.17Lf". Done in C because
 * Rust has no long double, and the replies must match redis-server to the digit. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* strtold as redis-server's string2ld accepts it: no NaN, and no overflow to infinity
 * or underflow to zero. Returns 0 when `s` is refused. */
static int parse_ld(const char *s, long double *value) {
    char *end;
    errno = 0;
    *value = strtold(s, &end);
    if (*end != '\0' || isnan(*value)) return 0;
    if (errno == ERANGE && (isinf(*value) || *value == 0)) return 0;
    return 1;
}

/* Returns the printed length, -1 when an operand does not parse, -2 when the sum is
 * NaN or infinite, -3 when it does not fit in `out`. The operands are NUL-terminated
 * and were already checked for spaces and trailing bytes by the caller. */
int ferrocache_ld_add(const char *a, const char *b, char *out, int out_len) {
    long double x, y;
    if (!parse_ld(a, &x) || !parse_ld(b, &y)) return -1;
    long double sum = x + y;
    if (isnan(sum) || isinf(sum)) return -2;
    int n = snprintf(out, (size_t)out_len, "%.17Lf", sum);
    if (n < 0 || n + 1 > out_len) return -3;
    return n;
}

/* A blocking command's timeout in milliseconds, as redis-server's
 * getTimeoutFromObjectOrReply computes it: ceill(seconds * 1000) converted to long
 * long. Out of range values (infinities included) give LLONG_MIN, as the x86-64
 * conversion redis-server relies on does, so they read as negative. Returns 0 when
 * `s` is refused, 1 otherwise. */
int ferrocache_ld_timeout_ms(const char *s, long long *ms) {
    long double seconds;
    if (!parse_ld(s, &seconds)) return 0;
    long double millis = ceill(seconds * 1000.0);
    if (millis >= -9223372036854775808.0L && millis < 9223372036854775808.0L)
        *ms = (long long)millis;
    else
        *ms = LLONG_MIN;
    return 1;
}
