// SiLU, x / (1 + e^-x), over one row, rounding as llama.cpp's CPU backend does on the same CPU.
//
// ggml computes e^-x with a vectorized exp (Arm's optimized-routines algorithm: x = n ln 2 + b with n an integer
// found by the 1.5 * 2^23 rounding trick, ln 2 split into two Floats, e^b by a degree-5 polynomial, then scaled by
// 2^n), whole vectors at a time, and the leftover elements of a row with the C library's expf. Which variant runs is
// fixed by ggml's compile flags: with AVX-512 F and DQ the polynomial includes its 1 and the scaling is vscalefps;
// with AVX2 + FMA (and Arm NEON) the polynomial leaves the 1 out and the result is k + k * p with k = 2^n built from
// the exponent bits. The two round differently in the last bit, and a last-bit difference here tips int8
// activations of the next matrix product, so each variant below is written to match its counterpart exactly.
// Kernels/SiLU.swift holds the same two algorithms one value at a time (the reference and the portable path).
#include "CKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <math.h>

#define CK_AVX512_DQ __attribute__((target("avx512f,avx512dq")))
#define CK_AVX2_FMA __attribute__((target("avx2,fma")))

int ck_cpu_has_avx512_dq(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
}

int ck_cpu_has_avx2_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// The leftover elements of a row, as ggml's scalar loop computes them.
static void ck_silu_tail(float *x, int from, int count) {
    for (int i = from; i < count; i++) x[i] = x[i] / (1.0f + expf(-x[i]));
}

// e^x, 16 lanes: polynomial with its constant term, scaled by 2^n with vscalefps; |n| > 192 saturates to 0 or inf.
CK_AVX512_DQ static inline __m512 ck_exp_avx512(__m512 x) {
    const __m512 shifter = _mm512_set1_ps(0x1.8p23f);
    const __m512 shifted = _mm512_fmadd_ps(x, _mm512_set1_ps(0x1.715476p+0f), shifter);
    const __m512 n = _mm512_sub_ps(shifted, shifter);  // x / ln 2, rounded to an integer
    __m512 b = _mm512_fnmadd_ps(n, _mm512_set1_ps(0x1.62e4p-1f), x);
    b = _mm512_fnmadd_ps(n, _mm512_set1_ps(0x1.7f7d1cp-20f), b);  // x - n ln 2, |b| <= ln 2 / 2
    const __m512 b2 = _mm512_mul_ps(b, b);
    const __m512 odd_even = _mm512_fmadd_ps(
        _mm512_fmadd_ps(_mm512_set1_ps(0x1.0e4020p-7f), b, _mm512_set1_ps(0x1.573e2ep-5f)), b2,
        _mm512_fmadd_ps(_mm512_set1_ps(0x1.555e66p-3f), b, _mm512_set1_ps(0x1.fffdb6p-2f)));
    const __m512 p = _mm512_fmadd_ps(odd_even, b2, _mm512_fmadd_ps(_mm512_set1_ps(0x1.ffffecp-1f), b,
                                                                   _mm512_set1_ps(1.0f)));
    const __m512 scaled = _mm512_scalef_ps(p, n);
    const __mmask16 out_of_range = _mm512_cmp_ps_mask(_mm512_abs_ps(n), _mm512_set1_ps(192), _CMP_GT_OQ);
    if (out_of_range == 0) return scaled;
    const __mmask16 non_positive = _mm512_cmp_ps_mask(n, _mm512_setzero_ps(), _CMP_LE_OQ);
    const __m512 saturated = _mm512_mask_blend_ps(non_positive, _mm512_set1_ps(INFINITY), _mm512_setzero_ps());
    return _mm512_mask_blend_ps(out_of_range, scaled, saturated);
}

CK_AVX512_DQ void ck_silu_avx512(float *x, int count) {
    const __m512 one = _mm512_set1_ps(1.0f);
    int i = 0;
    for (; i + 16 <= count; i += 16) {
        const __m512 v = _mm512_loadu_ps(x + i);
        const __m512 e = ck_exp_avx512(_mm512_sub_ps(_mm512_setzero_ps(), v));
        _mm512_storeu_ps(x + i, _mm512_div_ps(v, _mm512_add_ps(one, e)));
    }
    ck_silu_tail(x, i, count);
}

// Softmax over one row in place, 16 lanes a step with the exp above (ggml's, as whisper.cpp's softmax uses); the
// leftover elements with expf. The sum is kept per lane, then added up.
CK_AVX512_DQ void ck_softmax_avx512(float *x, int count) {
    if (count <= 0) return;
    float maximum = x[0];
    int i = 0;
    if (count >= 16) {
        __m512 m = _mm512_loadu_ps(x);
        for (i = 16; i + 16 <= count; i += 16) m = _mm512_max_ps(m, _mm512_loadu_ps(x + i));
        maximum = _mm512_reduce_max_ps(m);
    }
    for (; i < count; i++) maximum = fmaxf(maximum, x[i]);
    const __m512 shift = _mm512_set1_ps(maximum);
    __m512 sums = _mm512_setzero_ps();
    for (i = 0; i + 16 <= count; i += 16) {
        const __m512 e = ck_exp_avx512(_mm512_sub_ps(_mm512_loadu_ps(x + i), shift));
        _mm512_storeu_ps(x + i, e);
        sums = _mm512_add_ps(sums, e);
    }
    float sum = _mm512_reduce_add_ps(sums);
    for (; i < count; i++) {
        x[i] = expf(x[i] - maximum);
        sum += x[i];
    }
    const __m512 inverse = _mm512_set1_ps(1.0f / sum);
    for (i = 0; i + 16 <= count; i += 16) _mm512_storeu_ps(x + i, _mm512_mul_ps(_mm512_loadu_ps(x + i), inverse));
    for (; i < count; i++) x[i] *= 1.0f / sum;
}

// GELU, x/2 (1 + erf(x / √2)), in place, 16 lanes a step: erfc(|z|) = t e^(-z² + P(t)) with t = 1 / (1 + |z| / 2)
// and P the degree-9 Chebyshev fit of Numerical Recipes (relative error below 1.2e-7), e^ as above; then
// GELU(x) = x (1 - erfc(z) / 2) for x >= 0 and x erfc(|z|) / 2 below. The leftover elements with erff.
CK_AVX512_DQ void ck_gelu_avx512(float *x, int count) {
    const __m512 half = _mm512_set1_ps(0.5f), one = _mm512_set1_ps(1.0f);
    static const float coefficients[10] = {-1.26551223f, 1.00002368f, 0.37409196f, 0.09678418f, -0.18628806f,
                                           0.27886807f, -1.13520398f, 1.48851587f, -0.82215223f, 0.17087277f};
    int i = 0;
    for (; i + 16 <= count; i += 16) {
        const __m512 v = _mm512_loadu_ps(x + i);
        const __m512 z = _mm512_abs_ps(_mm512_mul_ps(v, _mm512_set1_ps(0.70710678118654752f)));
        const __m512 t = _mm512_div_ps(one, _mm512_fmadd_ps(half, z, one));
        __m512 p = _mm512_set1_ps(coefficients[9]);
        for (int k = 8; k >= 0; k--) p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(coefficients[k]));
        const __m512 erfc = _mm512_mul_ps(t, ck_exp_avx512(_mm512_fnmadd_ps(z, z, p)));
        const __mmask16 negative = _mm512_cmp_ps_mask(v, _mm512_setzero_ps(), _CMP_LT_OQ);
        const __m512 halfErfc = _mm512_mul_ps(half, erfc);
        const __m512 factor = _mm512_mask_blend_ps(negative, _mm512_sub_ps(one, halfErfc), halfErfc);
        _mm512_storeu_ps(x + i, _mm512_mul_ps(v, factor));
    }
    for (; i < count; i++) x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
}

// e^x, 8 lanes: polynomial without its constant term, result k + k p with k = 2^n made from n's bits; for
// 126 < |n| <= 192 the power of two is split in two factors so that neither overflows, beyond that 0 or inf.
CK_AVX2_FMA static inline __m256 ck_exp_avx2(__m256 x) {
    const __m256 shifter = _mm256_set1_ps(0x1.8p23f);
    const __m256 shifted = _mm256_fmadd_ps(x, _mm256_set1_ps(0x1.715476p+0f), shifter);
    const __m256 n = _mm256_sub_ps(shifted, shifter);
    __m256 b = _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.62e4p-1f), x);
    b = _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.7f7d1cp-20f), b);
    // n sits in the low mantissa bits of `shifted`: moved into the exponent field and added to 1.0's bits, 2^n.
    const __m256i n_bits = _mm256_slli_epi32(_mm256_castps_si256(shifted), 23);
    const __m256 k = _mm256_castsi256_ps(_mm256_add_epi32(n_bits, _mm256_castps_si256(_mm256_set1_ps(1.0f))));
    const __m256 magnitude = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), n);
    const __m256 large = _mm256_cmp_ps(magnitude, _mm256_set1_ps(126), _CMP_GT_OQ);
    const __m256 b2 = _mm256_mul_ps(b, b);
    const __m256 odd_even = _mm256_fmadd_ps(
        _mm256_fmadd_ps(_mm256_set1_ps(0x1.0e4020p-7f), b, _mm256_set1_ps(0x1.573e2ep-5f)), b2,
        _mm256_fmadd_ps(_mm256_set1_ps(0x1.555e66p-3f), b, _mm256_set1_ps(0x1.fffdb6p-2f)));
    const __m256 p = _mm256_fmadd_ps(odd_even, b2, _mm256_mul_ps(_mm256_set1_ps(0x1.ffffecp-1f), b));
    const __m256 in_range = _mm256_fmadd_ps(p, k, k);
    if (_mm256_movemask_ps(large) == 0) return in_range;
    // 2^n = s1 * s2: s1 is 2^127 (n > 0) or 2^-125 (n <= 0), s2 the rest.
    const __m256i bias = _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(n, _mm256_setzero_ps(), _CMP_LE_OQ)),
                                          _mm256_set1_epi32((int)0x82000000u));
    const __m256 s1 = _mm256_castsi256_ps(_mm256_add_epi32(bias, _mm256_set1_epi32(0x7f000000)));
    const __m256 s2 = _mm256_castsi256_ps(_mm256_sub_epi32(n_bits, bias));
    const __m256 split = _mm256_mul_ps(_mm256_fmadd_ps(s2, p, s2), s1);
    const __m256 saturating = _mm256_cmp_ps(magnitude, _mm256_set1_ps(192), _CMP_GT_OQ);
    const __m256 within = _mm256_blendv_ps(in_range, split, large);
    return _mm256_blendv_ps(within, _mm256_mul_ps(s1, s1), saturating);
}

CK_AVX2_FMA void ck_silu_avx2(float *x, int count) {
    const __m256 one = _mm256_set1_ps(1.0f);
    int i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256 v = _mm256_loadu_ps(x + i);
        const __m256 e = ck_exp_avx2(_mm256_sub_ps(_mm256_setzero_ps(), v));
        _mm256_storeu_ps(x + i, _mm256_div_ps(v, _mm256_add_ps(one, e)));
    }
    ck_silu_tail(x, i, count);
}

#else

int ck_cpu_has_avx512_dq(void) { return 0; }
int ck_cpu_has_avx2_fma(void) { return 0; }
void ck_silu_avx512(float *x, int count) {}
void ck_softmax_avx512(float *x, int count) {}
void ck_gelu_avx512(float *x, int count) {}
void ck_silu_avx2(float *x, int count) {}

#endif
