/* INCRBYFLOAT arithmetic in the platform's long double, as redis-server does it:
 * parse both operands with strtold, add, and print with "%.17Lf". Done in C because
 * Rust has no long double, and the replies must match redis-server to the digit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Returns the printed length, -1 when an operand does not parse, -2 when the sum is
 * NaN or infinite, -3 when it does not fit in `out`. The operands are NUL-terminated
 * and were already checked for spaces and trailing bytes by the caller. */
int ferrocache_ld_add(const char *a, const char *b, char *out, int out_len) {
    char *end;
    long double x = strtold(a, &end);
    if (*end != '\0' || isnan(x)) return -1;
    long double y = strtold(b, &end);
    if (*end != '\0' || isnan(y)) return -1;
    long double sum = x + y;
    if (isnan(sum) || isinf(sum)) return -2;
    int n = snprintf(out, (size_t)out_len, "%.17Lf", sum);
    if (n < 0 || n + 1 > out_len) return -3;
    return n;
}
