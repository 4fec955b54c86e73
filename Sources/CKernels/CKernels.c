#include "CKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <math.h>

#define CK_AVX2 __attribute__((target("avx2,fma,f16c")))

int ck_cpu_has_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
}

// Reads a little-endian f16 scale.
CK_AVX2 static inline float ck_half(const uint8_t *p) {
    uint16_t bits = (uint16_t)(p[0] | (p[1] << 8));
    return _cvtsh_ss(bits);
}

// The sum of the eight floats of v.
CK_AVX2 static inline float ck_sum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// Σ u[j] * s[j] over 32 bytes, u unsigned (at most 127 here, so pairs fit int16), s signed, as 8 int32 lanes.
CK_AVX2 static inline __m256i ck_dot_unsigned_signed(__m256i u, __m256i s) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
}

// The 32 four-bit values of a legacy quant block: low nibbles are values 0..15, high nibbles 16..31.
CK_AVX2 static inline __m256i ck_nibbles(const uint8_t *qs) {
    __m128i bytes = _mm_loadu_si128((const __m128i *)qs);
    __m256i both = _mm256_set_m128i(_mm_srli_epi16(bytes, 4), bytes);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

// One q8_0 block's products as 8 int32 lanes, scaled to floats and added to acc.
CK_AVX2 static inline __m256 ck_q8_0_block(const uint8_t *block, const int8_t *values, float scale, __m256 acc) {
    __m256i w = _mm256_loadu_si256((const __m256i *)(block + 2));
    __m256i x = _mm256_loadu_si256((const __m256i *)values);
    // maddubs multiplies unsigned by signed: move w's sign onto x. |-128| reads as 128 unsigned: still exact.
    __m256i dot = ck_dot_unsigned_signed(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w));
    return _mm256_fmadd_ps(_mm256_set1_ps(ck_half(block) * scale), _mm256_cvtepi32_ps(dot), acc);
}

CK_AVX2 float ck_dot_q8_0_avx2(const void *row, const int8_t *values, const float *scales, int block_count) {
    const uint8_t *blocks = (const uint8_t *)row;
    // Two accumulators, so that consecutive blocks' multiply-adds do not wait on each other.
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    int b = 0;
    for (; b + 1 < block_count; b += 2) {
        acc0 = ck_q8_0_block(blocks + 34 * b, values + 32 * b, scales[b], acc0);
        acc1 = ck_q8_0_block(blocks + 34 * (b + 1), values + 32 * (b + 1), scales[b + 1], acc1);
    }
    if (b < block_count) acc0 = ck_q8_0_block(blocks + 34 * b, values + 32 * b, scales[b], acc0);
    return ck_sum8(_mm256_add_ps(acc0, acc1));
}

// One q4_0 block's products as 8 int32 lanes, scaled to floats and added to acc: the nibbles less 8 are signed
// values in -8...7, multiplied as q8_0's are.
CK_AVX2 static inline __m256 ck_q4_0_block(const uint8_t *block, const int8_t *values, float scale, __m256 acc) {
    __m256i w = _mm256_sub_epi8(ck_nibbles(block + 2), _mm256_set1_epi8(8));
    __m256i x = _mm256_loadu_si256((const __m256i *)values);
    __m256i dot = ck_dot_unsigned_signed(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w));
    return _mm256_fmadd_ps(_mm256_set1_ps(ck_half(block) * scale), _mm256_cvtepi32_ps(dot), acc);
}

CK_AVX2 float ck_dot_q4_0_avx2(const void *row, const int8_t *values, const float *scales, const float *scaled_sums,
                               int block_count) {
    (void)scaled_sums;  // the offset of 8 is applied to the weights instead
    const uint8_t *blocks = (const uint8_t *)row;
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    int b = 0;
    for (; b + 1 < block_count; b += 2) {
        acc0 = ck_q4_0_block(blocks + 18 * b, values + 32 * b, scales[b], acc0);
        acc1 = ck_q4_0_block(blocks + 18 * (b + 1), values + 32 * (b + 1), scales[b + 1], acc1);
    }
    if (b < block_count) acc0 = ck_q4_0_block(blocks + 18 * b, values + 32 * b, scales[b], acc0);
    return ck_sum8(_mm256_add_ps(acc0, acc1));
}

// One q4_1 block's products (without the minimum's term) as 8 int32 lanes, scaled and added to acc.
CK_AVX2 static inline __m256 ck_q4_1_block(const uint8_t *block, const int8_t *values, float scale, __m256 acc) {
    __m256i x = _mm256_loadu_si256((const __m256i *)values);
    __m256i dot = ck_dot_unsigned_signed(ck_nibbles(block + 4), x);
    return _mm256_fmadd_ps(_mm256_set1_ps(ck_half(block) * scale), _mm256_cvtepi32_ps(dot), acc);
}

// In ggml's order (ggml_vec_dot_q4_1_q8_1 on x86): one 8-lane accumulator taking every block in turn, the minimums'
// terms in one Float chain of fused multiply-adds, then the lanes' sum plus that chain. The same order gives the same
// bits, so that values rounded afterwards (to f16 in the KV cache, to int8 for the next product) round as llama.cpp's.
CK_AVX2 float ck_dot_q4_1_avx2(const void *row, const int8_t *values, const float *scales, const float *scaled_sums,
                               int block_count) {
    const uint8_t *blocks = (const uint8_t *)row;
    __m256 acc = _mm256_setzero_ps();
    float minimums = 0;  // x = d q + m: Σ m dx Σ qx
    for (int b = 0; b < block_count; b++) {
        acc = ck_q4_1_block(blocks + 20 * b, values + 32 * b, scales[b], acc);
        minimums = fmaf(ck_half(blocks + 20 * b + 2), scaled_sums[b], minimums);
    }
    return ck_sum8(acc) + minimums;
}

// Sub-block j's 6-bit scale and min from a q4_K block's 12 packed bytes (see Kernels/Dequantize.swift).
static inline void ck_q4_K_scale_min(const uint8_t *q, int j, int *scale, int *min) {
    if (j < 4) {
        *scale = q[j] & 63;
        *min = q[j + 4] & 63;
    } else {
        *scale = (q[j + 4] & 0x0F) | ((q[j - 4] >> 6) << 4);
        *min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

// The eight int32 lanes of v, summed.
CK_AVX2 static inline int32_t ck_sum8_epi32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

CK_AVX2 float ck_dot_q4_K_avx2(const void *row, const int8_t *values, const float *scales, const int32_t *sums,
                               int block_count) {
    const uint8_t *blocks = (const uint8_t *)row;
    const __m256i low_mask = _mm256_set1_epi8(0x0F);
    __m256 acc = _mm256_setzero_ps();
    float mins = 0;
    for (int b = 0; b < block_count; b++) {
        const uint8_t *block = blocks + 144 * b;
        const int8_t *x = values + 256 * b;
        __m256i integer = _mm256_setzero_si256();
        int32_t min_sum = 0;
        for (int pair = 0; pair < 4; pair++) {
            int scale_low, min_low, scale_high, min_high;
            ck_q4_K_scale_min(block + 4, 2 * pair, &scale_low, &min_low);
            ck_q4_K_scale_min(block + 4, 2 * pair + 1, &scale_high, &min_high);
            __m256i q = _mm256_loadu_si256((const __m256i *)(block + 16 + 32 * pair));
            __m256i low = _mm256_and_si256(q, low_mask);  // sub-block 2 pair
            __m256i high = _mm256_and_si256(_mm256_srli_epi16(q, 4), low_mask);  // sub-block 2 pair + 1
            __m256i x_low = _mm256_loadu_si256((const __m256i *)(x + 64 * pair));
            __m256i x_high = _mm256_loadu_si256((const __m256i *)(x + 64 * pair + 32));
            // maddubs: pairs of nibble * x in int16 (at most 2 * 15 * 127); madd by the 6-bit scale into int32.
            __m256i dot_low = _mm256_madd_epi16(_mm256_maddubs_epi16(low, x_low), _mm256_set1_epi16(scale_low));
            __m256i dot_high = _mm256_madd_epi16(_mm256_maddubs_epi16(high, x_high), _mm256_set1_epi16(scale_high));
            integer = _mm256_add_epi32(integer, _mm256_add_epi32(dot_low, dot_high));
            min_sum += min_low * sums[8 * b + 2 * pair] + min_high * sums[8 * b + 2 * pair + 1];
        }
        float dx = scales[b];
        acc = _mm256_fmadd_ps(_mm256_set1_ps(ck_half(block) * dx), _mm256_cvtepi32_ps(integer), acc);
        mins += ck_half(block + 2) * dx * (float)min_sum;  // x = d scale q - dmin min
    }
    return ck_sum8(acc) - mins;
}

CK_AVX2 float ck_dot_q6_K_avx2(const void *row, const int8_t *values, const float *scales, int block_count) {
    const uint8_t *blocks = (const uint8_t *)row;
    const __m256i low_mask = _mm256_set1_epi8(0x0F);
    const __m256i two_bits = _mm256_set1_epi8(0x03);
    const __m256i thirty_two = _mm256_set1_epi8(32);
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < block_count; b++) {
        const uint8_t *block = blocks + 210 * b;
        const int8_t *sc = (const int8_t *)(block + 192);
        __m256i integer = _mm256_setzero_si256();
        for (int half = 0; half < 2; half++) {
            const uint8_t *ql = block + 64 * half;
            __m256i qh = _mm256_loadu_si256((const __m256i *)(block + 128 + 32 * half));
            __m256i ql0 = _mm256_loadu_si256((const __m256i *)ql);
            __m256i ql1 = _mm256_loadu_si256((const __m256i *)(ql + 32));
            // The four runs of 32 values (k = 0..3), each q + 32 in 0...63: nibble | two high bits << 4.
            __m256i q[4];
            q[0] = _mm256_or_si256(_mm256_and_si256(ql0, low_mask),
                                   _mm256_slli_epi16(_mm256_and_si256(qh, two_bits), 4));
            q[1] = _mm256_or_si256(_mm256_and_si256(ql1, low_mask),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2), two_bits), 4));
            q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low_mask),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 4), two_bits), 4));
            q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low_mask),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 6), two_bits), 4));
            for (int k = 0; k < 4; k++) {
                __m256i x = _mm256_loadu_si256((const __m256i *)(values + 256 * b + 128 * half + 32 * k));
                // Σ (q - 32) x in int16 pairs: (q + 32) x less 32 x, each at most 2 * 63 * 127 in magnitude.
                __m256i pairs = _mm256_sub_epi16(_mm256_maddubs_epi16(q[k], x), _mm256_maddubs_epi16(thirty_two, x));
                // Values 0..15 of the run (low lane) share one scale, 16..31 (high lane) the next.
                int g = 8 * half + 2 * k;
                __m256i scale = _mm256_set_m128i(_mm_set1_epi16(sc[g + 1]), _mm_set1_epi16(sc[g]));
                integer = _mm256_add_epi32(integer, _mm256_madd_epi16(pairs, scale));
            }
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(ck_half(block + 208) * scales[b]), _mm256_cvtepi32_ps(integer), acc);
    }
    return ck_sum8(acc);
}

CK_AVX2 float ck_dot_f16_avx2(const void *row, const float *x, int count) {
    const uint16_t *w = (const uint16_t *)row;
    // A matrix's rows are consecutive: ask for the row four ahead while this one is read (a decoder step reads
    // each weight once, so memory latency limits it).
    const char *ahead = (const char *)row + 4 * 2 * (size_t)count;
    __m256 acc0 = _mm256_setzero_ps();
    __m256 acc1 = _mm256_setzero_ps();
    int i = 0;
    for (; i + 16 <= count; i += 16) {
        _mm_prefetch(ahead + 2 * i, _MM_HINT_T0);
        __m256 w0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(w + i)));
        __m256 w1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(w + i + 8)));
        acc0 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x + i), acc0);
        acc1 = _mm256_fmadd_ps(w1, _mm256_loadu_ps(x + i + 8), acc1);
    }
    float sum = ck_sum8(_mm256_add_ps(acc0, acc1));
    for (; i < count; i++) sum += _cvtsh_ss(w[i]) * x[i];
    return sum;
}

CK_AVX2 void ck_axpy_f16_avx2(float *y, float a, const void *x, int count) {
    const uint16_t *h = (const uint16_t *)x;
    __m256 scale = _mm256_set1_ps(a);
    int i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 v = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(h + i)));
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(scale, v, _mm256_loadu_ps(y + i)));
    }
    for (; i < count; i++) y[i] += a * _cvtsh_ss(h[i]);
}

CK_AVX2 void ck_floats_to_halves_avx2(const float *x, void *out, int count) {
    uint16_t *h = (uint16_t *)out;
    int i = 0;
    for (; i + 8 <= count; i += 8) {
        __m128i v = _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT);
        _mm_storeu_si128((__m128i *)(h + i), v);
    }
    for (; i < count; i++) h[i] = _cvtss_sh(x[i], _MM_FROUND_TO_NEAREST_INT);
}

CK_AVX2 void ck_halves_to_floats_avx2(const void *h, float *out, int count) {
    const uint16_t *x = (const uint16_t *)h;
    int i = 0;
    for (; i + 8 <= count; i += 8) _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i))));
    for (; i < count; i++) out[i] = _cvtsh_ss(x[i]);
}

// ggml_vec_dot_f16 of `count` halves as ggml's AVX-512 build sums them (its products are exact in Float): steps of
// 64 into four 16-lane accumulators, reduced as ((s0 + s2) + (s1 + s3)) and then 16 -> 8 -> 4 -> 2 -> 1 lanes; the
// leftovers after the last step added in double. Lanes 0-7 and 8-15 of each 16-lane accumulator are two AVX2
// registers here.
CK_AVX2 static inline float ck_dot_halves_as_ggml(const uint16_t *x, const uint16_t *y, int count) {
    __m256 acc[8];
    for (int j = 0; j < 8; j++) acc[j] = _mm256_setzero_ps();
    int i = 0;
    for (; i + 64 <= count; i += 64) {
        for (int j = 0; j < 8; j++) {
            __m256 a = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i + 8 * j)));
            __m256 b = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(y + i + 8 * j)));
            acc[j] = _mm256_fmadd_ps(a, b, acc[j]);
        }
    }
    // acc[2j] and acc[2j + 1] are lanes 0-7 and 8-15 of ggml's sum[j].
    __m256 low = _mm256_add_ps(_mm256_add_ps(acc[0], acc[4]), _mm256_add_ps(acc[2], acc[6]));
    __m256 high = _mm256_add_ps(_mm256_add_ps(acc[1], acc[5]), _mm256_add_ps(acc[3], acc[7]));
    double sum = ck_sum8(_mm256_add_ps(high, low));
    for (; i < count; i++) sum += (double)(_cvtsh_ss(x[i]) * _cvtsh_ss(y[i]));
    return (float)sum;
}

// ggml_compute_forward_flash_attn_ext_f16_one_chunk for one row, with ggml's x86 F16 vector steps: the accumulator is
// rescaled (y = f16(y * ms)) when a new maximum arrives and y = f16(y + v * vs) (one fused multiply-add) at every
// position.
CK_AVX2 void ck_attention_online_f16_avx2(const float *q, const void *keys, const void *values, int stride, int count,
                                          int head_dim, float scale, void *accumulator, float *out) {
    const uint16_t *k = (const uint16_t *)keys;
    const uint16_t *v = (const uint16_t *)values;
    uint16_t *acc = (uint16_t *)accumulator;
    uint16_t *query = acc + head_dim;  // the query rounded to f16
    const int lanes = head_dim / 8;
    for (int i = 0; i < lanes; i++) {
        _mm_storeu_si128((__m128i *)(query + 8 * i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(q + 8 * i), _MM_FROUND_TO_NEAREST_INT));
        _mm_storeu_si128((__m128i *)(acc + 8 * i), _mm_setzero_si128());
    }
    float sum = 0, maximum = -INFINITY;
    for (int t = 0; t < count; t++) {
        const float s = ck_dot_halves_as_ggml(k + (size_t)t * stride, query, head_dim) * scale;
        float ms = 1, vs = 1;
        if (s > maximum) {
            ms = expf(maximum - s);
            maximum = s;
            const __m256 factor = _mm256_set1_ps(ms);
            for (int i = 0; i < lanes; i++) {
                __m256 y = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(acc + 8 * i)));
                _mm_storeu_si128((__m128i *)(acc + 8 * i),
                                 _mm256_cvtps_ph(_mm256_mul_ps(y, factor), _MM_FROUND_TO_NEAREST_INT));
            }
        } else {
            vs = expf(s - maximum);
        }
        const uint16_t *value = v + (size_t)t * stride;
        const __m256 weight = _mm256_set1_ps(vs);
        for (int i = 0; i < lanes; i++) {
            __m256 y = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(acc + 8 * i)));
            __m256 x = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(value + 8 * i)));
            _mm_storeu_si128((__m128i *)(acc + 8 * i),
                             _mm256_cvtps_ph(_mm256_fmadd_ps(x, weight, y), _MM_FROUND_TO_NEAREST_INT));
        }
        sum = fmaf(sum, ms, vs);
    }
    const __m256 inverse = _mm256_set1_ps(sum == 0 ? 0 : 1 / sum);
    for (int i = 0; i < lanes; i++) {
        __m256 y = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(acc + 8 * i)));
        _mm256_storeu_ps(out + 8 * i, _mm256_mul_ps(y, inverse));
    }
}

#ifndef CK_Q4_1_PREFETCH_GROUPS
#define CK_Q4_1_PREFETCH_GROUPS 4
#endif
#define CK_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c")))

int ck_cpu_has_avx512_vnni(void) {
    __builtin_cpu_init();
    return ck_cpu_has_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
}

// Two q4_1 rows at once, row 0 in lanes 0-7 and row 1 in lanes 8-15: each lane takes the same products and the same
// chain of fused multiply-adds as ck_dot_q4_1_avx2's (ggml's order), so each row's result is that function's, bit
// for bit, at about twice the speed (vpdpbusd for the integer sums, 16 lanes a step).
CK_AVX512 void ck_dot_q4_1_rows2_avx512(const void *row0, const void *row1, const int8_t *values, const float *scales,
                                        const float *scaled_sums, int block_count, float *out) {
    const uint8_t *b0 = (const uint8_t *)row0;
    const uint8_t *b1 = (const uint8_t *)row1;
    const __m512i low_mask = _mm512_set1_epi8(0x0F);
    __m512 acc = _mm512_setzero_ps();
    float minimums0 = 0, minimums1 = 0;
    for (int b = 0; b < block_count; b++) {
        const uint8_t *p0 = b0 + 20 * b;
        const uint8_t *p1 = b1 + 20 * b;
        __m128i q0 = _mm_loadu_si128((const __m128i *)(p0 + 4));
        __m128i q1 = _mm_loadu_si128((const __m128i *)(p1 + 4));
        __m512i q = _mm512_castsi128_si512(q0);
        q = _mm512_inserti32x4(q, _mm_srli_epi16(q0, 4), 1);
        q = _mm512_inserti32x4(q, q1, 2);
        q = _mm512_inserti32x4(q, _mm_srli_epi16(q1, 4), 3);
        q = _mm512_and_si512(q, low_mask);
        __m512i x = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(values + 32 * b)));
        __m512 xy = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(_mm512_setzero_si512(), q, x));
        __m256 scale0 = _mm256_set1_ps(ck_half(p0) * scales[b]);
        __m256 scale1 = _mm256_set1_ps(ck_half(p1) * scales[b]);
        __m512 scale = _mm512_castpd_ps(
            _mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(scale0)), _mm256_castps_pd(scale1), 1));
        acc = _mm512_fmadd_ps(scale, xy, acc);
        minimums0 = fmaf(ck_half(p0 + 2), scaled_sums[b], minimums0);
        minimums1 = fmaf(ck_half(p1 + 2), scaled_sums[b], minimums1);
    }
    __m256 high = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(acc), 1));
    out[0] = ck_sum8(_mm512_castps512_ps256(acc)) + minimums0;
    out[1] = ck_sum8(high) + minimums1;
}

// Block o / 20 of four q4_1 rows: their f16 scales and minimums as d0 m0 d1 m1 d2 m2 d3 m3, in one conversion.
CK_AVX512 static inline __m256 ck_q4_1_scales_minimums4(const uint8_t *r0, const uint8_t *r1, const uint8_t *r2,
                                                        const uint8_t *r3, int o) {
    int32_t h0, h1, h2, h3;
    __builtin_memcpy(&h0, r0 + o, 4);
    __builtin_memcpy(&h1, r1 + o, 4);
    __builtin_memcpy(&h2, r2 + o, 4);
    __builtin_memcpy(&h3, r3 + o, 4);
    return _mm256_cvtph_ps(_mm_set_epi32(h3, h2, h1, h0));
}

// Block o / 20 of q4_1 rows a and b as 64 values 0-15, per 128-bit lane [a low nibbles, b low, a high, b high]: the
// pair layout of ck_dot_q4_1_rows4_avx512, against activations spread as [x 0-15, x 0-15, x 16-31, x 16-31].
CK_AVX512 static inline __m512i ck_q4_1_pair_nibbles(const uint8_t *a, const uint8_t *b, int o) {
    __m256i y = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)(a + o + 4))),
                                        _mm_loadu_si128((const __m128i *)(b + o + 4)), 1);
    return _mm512_and_si512(_mm512_inserti64x4(_mm512_castsi256_si512(y), _mm256_srli_epi16(y, 4), 1),
                            _mm512_set1_epi8(0x0F));
}

// One block's 32 activations spread to the pair layout.
CK_AVX512 static inline __m512i ck_q4_1_pair_values(const int8_t *values) {
    __m512i x = _mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)values));
    return _mm512_shuffle_i64x2(x, x, _MM_SHUFFLE(1, 1, 0, 0));
}

// Row a's (second = 0) or row b's (second = 1) eight lanes of a pair accumulator, in the AVX2 loop's lane order,
// summed as ck_sum8 sums them there.
CK_AVX512 static inline float ck_q4_1_pair_sum(__m512 acc, int second) {
    const __m512i first_row = _mm512_set_epi32(0, 0, 0, 0, 0, 0, 0, 0, 11, 10, 9, 8, 3, 2, 1, 0);
    const __m512i second_row = _mm512_set_epi32(0, 0, 0, 0, 0, 0, 0, 0, 15, 14, 13, 12, 7, 6, 5, 4);
    return ck_sum8(_mm512_castps512_ps256(_mm512_permutexvar_ps(second ? second_row : first_row, acc)));
}

// Four q4_1 rows at once, each in ck_dot_q4_1_avx2's order (ggml's), so each result is that function's bit for bit,
// with less work per block than ck_dot_q4_1_rows2_avx512: the four rows' f16 scales and minimums are converted in
// one instruction, a row pair's 32 bytes of nibbles are unpacked in three, and the activations are loaded once.
// A pair's register holds, per 128-bit lane, [row r low nibbles, row r + 1 low, row r high, row r + 1 high]: the
// int32 lanes are the AVX2 loop's eight, placed differently; they are gathered back in order before the final sum.
CK_AVX512 void ck_dot_q4_1_rows4_avx512(const void *row0, long row_bytes, const int8_t *values, const float *scales,
                                        const float *scaled_sums, int block_count, float *out) {
    const __m512i spread01 = _mm512_set_epi32(2, 2, 2, 2, 0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0);
    const __m512i spread23 = _mm512_set_epi32(6, 6, 6, 6, 4, 4, 4, 4, 6, 6, 6, 6, 4, 4, 4, 4);
    const uint8_t *r0 = (const uint8_t *)row0, *r1 = r0 + row_bytes, *r2 = r1 + row_bytes, *r3 = r2 + row_bytes;
    __m512 acc01 = _mm512_setzero_ps(), acc23 = _mm512_setzero_ps();
    __m256 minimums = _mm256_setzero_ps();  // lanes 1, 3, 5, 7: rows 0-3
    // While these four rows are read, ask for the ones CK_Q4_1_PREFETCH_GROUPS groups of four ahead (decode reads
    // each weight once, so memory latency is what limits it: 4 measured best).
    const char *ahead = (const char *)r0 + CK_Q4_1_PREFETCH_GROUPS * 4 * row_bytes;
    for (int b = 0; b < block_count; b++) {
        const int o = 20 * b;
        _mm_prefetch(ahead + 4 * o, _MM_HINT_T0);
        const __m512i x = ck_q4_1_pair_values(values + 32 * b);
        const __m256 dm = ck_q4_1_scales_minimums4(r0, r1, r2, r3, o);  // d0 m0 d1 m1 d2 m2 d3 m3
        const __m512 ds = _mm512_castps256_ps512(_mm256_mul_ps(dm, _mm256_set1_ps(scales[b])));
        minimums = _mm256_fmadd_ps(dm, _mm256_set1_ps(scaled_sums[b]), minimums);
        const __m512i q01 = ck_q4_1_pair_nibbles(r0, r1, o), q23 = ck_q4_1_pair_nibbles(r2, r3, o);
        __m512 xy01 = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(_mm512_setzero_si512(), q01, x));
        __m512 xy23 = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(_mm512_setzero_si512(), q23, x));
        acc01 = _mm512_fmadd_ps(_mm512_permutexvar_ps(spread01, ds), xy01, acc01);
        acc23 = _mm512_fmadd_ps(_mm512_permutexvar_ps(spread23, ds), xy23, acc23);
    }
    float m[8];
    _mm256_storeu_ps(m, minimums);
    out[0] = ck_q4_1_pair_sum(acc01, 0) + m[1];
    out[1] = ck_q4_1_pair_sum(acc01, 1) + m[3];
    out[2] = ck_q4_1_pair_sum(acc23, 0) + m[5];
    out[3] = ck_q4_1_pair_sum(acc23, 1) + m[7];
}

// Four q4_1 rows against four tokens' activations: sixteen dot products, each in ck_dot_q4_1_avx2's order (ggml's),
// so each equals that function's result bit for bit. Registers are laid out as in ck_dot_q4_1_rows4_avx512 (a row
// pair per register); a block's nibbles and f16 headers are unpacked once for the four tokens, and the sixteen
// chains are independent, so the multiply-adds never wait on each other.
CK_AVX512 void ck_q4_1_tile4x4_avx512(const void *row0, long row_bytes, const int8_t *values, const float *scales,
                                      const float *scaled_sums, int cols, int block_count, float *out, int out_stride) {
    const __m512i spread01 = _mm512_set_epi32(2, 2, 2, 2, 0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0);
    const __m512i spread23 = _mm512_set_epi32(6, 6, 6, 6, 4, 4, 4, 4, 6, 6, 6, 6, 4, 4, 4, 4);
    const uint8_t *r0 = (const uint8_t *)row0, *r1 = r0 + row_bytes, *r2 = r1 + row_bytes, *r3 = r2 + row_bytes;
    __m512 acc01[4], acc23[4];
    __m256 minimums[4];  // per token, lanes 1, 3, 5, 7: rows 0-3
    for (int t = 0; t < 4; t++) {
        acc01[t] = _mm512_setzero_ps();
        acc23[t] = _mm512_setzero_ps();
        minimums[t] = _mm256_setzero_ps();
    }
    for (int b = 0; b < block_count; b++) {
        const int o = 20 * b;
        const __m256 dm = ck_q4_1_scales_minimums4(r0, r1, r2, r3, o);  // d0 m0 d1 m1 d2 m2 d3 m3
        const __m512 d01 = _mm512_permutexvar_ps(spread01, _mm512_castps256_ps512(dm));
        const __m512 d23 = _mm512_permutexvar_ps(spread23, _mm512_castps256_ps512(dm));
        const __m512i q01 = ck_q4_1_pair_nibbles(r0, r1, o);
        const __m512i q23 = ck_q4_1_pair_nibbles(r2, r3, o);
        for (int t = 0; t < 4; t++) {
            const __m512i x = ck_q4_1_pair_values(values + t * cols + 32 * b);
            const __m512 sx = _mm512_set1_ps(scales[t * block_count + b]);
            __m512 xy01 = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(_mm512_setzero_si512(), q01, x));
            __m512 xy23 = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(_mm512_setzero_si512(), q23, x));
            acc01[t] = _mm512_fmadd_ps(_mm512_mul_ps(d01, sx), xy01, acc01[t]);
            acc23[t] = _mm512_fmadd_ps(_mm512_mul_ps(d23, sx), xy23, acc23[t]);
            minimums[t] = _mm256_fmadd_ps(dm, _mm256_set1_ps(scaled_sums[t * block_count + b]), minimums[t]);
        }
    }
    for (int t = 0; t < 4; t++) {
        float m[8];
        _mm256_storeu_ps(m, minimums[t]);
        float *y = out + t * out_stride;
        y[0] = ck_q4_1_pair_sum(acc01[t], 0) + m[1];
        y[1] = ck_q4_1_pair_sum(acc01[t], 1) + m[3];
        y[2] = ck_q4_1_pair_sum(acc23[t], 0) + m[5];
        y[3] = ck_q4_1_pair_sum(acc23[t], 1) + m[7];
    }
}

// Four q8_0 blocks per step, two per 512-bit register. vpdpbusd wants one unsigned operand: w + 128 (a flip of the
// sign bit) is unsigned, and Σ (w + 128) x = Σ w x + 128 Σ x, so the 128 Σ x term is taken off at the end through
// the activations' scaled sums (as if it had a q4_1 minimum m = -128 d).
CK_AVX512 float ck_dot_q8_0_avx512(const void *row, const int8_t *values, const float *scale_sum_pairs,
                                   int block_count) {
    const uint8_t *blocks = (const uint8_t *)row;
    const __m512i sign_bit = _mm512_set1_epi8((char)0x80);
    const __m512i spread_low = _mm512_set_epi32(2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m512i spread_high = _mm512_set_epi32(6, 6, 6, 6, 6, 6, 6, 6, 4, 4, 4, 4, 4, 4, 4, 4);
    __m512 acc0 = _mm512_setzero_ps();
    __m512 acc1 = _mm512_setzero_ps();
    __m256 pairs_acc = _mm256_setzero_ps();  // (d dx, d dx Σqx) per block, summed
    int b = 0;
    for (; b + 4 <= block_count; b += 4) {
        const uint8_t *p = blocks + 34 * b;
        __m512i w01 = _mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(p + 2)));
        w01 = _mm512_inserti64x4(w01, _mm256_loadu_si256((const __m256i *)(p + 36)), 1);
        __m512i w23 = _mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(p + 70)));
        w23 = _mm512_inserti64x4(w23, _mm256_loadu_si256((const __m256i *)(p + 104)), 1);
        __m512i x01 = _mm512_loadu_si512((const void *)(values + 32 * b));
        __m512i x23 = _mm512_loadu_si512((const void *)(values + 32 * b + 64));
        __m512i dot01 = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_xor_si512(w01, sign_bit), x01);
        __m512i dot23 = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_xor_si512(w23, sign_bit), x23);
        uint16_t d0, d1, d2, d3;
        __builtin_memcpy(&d0, p, 2);
        __builtin_memcpy(&d1, p + 34, 2);
        __builtin_memcpy(&d2, p + 68, 2);
        __builtin_memcpy(&d3, p + 102, 2);
        __m128i dd = _mm_set_epi32((int)(d3 * 0x10001u), (int)(d2 * 0x10001u), (int)(d1 * 0x10001u),
                                   (int)(d0 * 0x10001u));
        __m256 pairs = _mm256_mul_ps(_mm256_cvtph_ps(dd), _mm256_loadu_ps(scale_sum_pairs + 2 * b));
        pairs_acc = _mm256_add_ps(pairs_acc, pairs);
        __m512 wide = _mm512_castps256_ps512(pairs);
        acc0 = _mm512_fmadd_ps(_mm512_permutexvar_ps(spread_low, wide), _mm512_cvtepi32_ps(dot01), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_permutexvar_ps(spread_high, wide), _mm512_cvtepi32_ps(dot23), acc1);
    }
    float sum = _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1))
        - 128 * ck_sum8(_mm256_blend_ps(_mm256_setzero_ps(), pairs_acc, 0xAA));
    for (; b < block_count; b++) {
        const uint8_t *p = blocks + 34 * b;
        __m256i w = _mm256_loadu_si256((const __m256i *)(p + 2));
        __m256i x = _mm256_loadu_si256((const __m256i *)(values + 32 * b));
        int32_t dot = ck_sum8_epi32(ck_dot_unsigned_signed(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w)));
        sum += ck_half(p) * scale_sum_pairs[2 * b] * (float)dot;
    }
    return sum;
}

// Both loops below give exactly the AVX2 path's sums (ck_dot_f16_avx2 per score, ck_axpy_f16_avx2 per value row):
// lanes 0-7 and 8-15 of one 512-bit accumulator are its two 256-bit accumulators, reduced in the same order, and
// each output lane is the same chain of multiply-adds over t. Only the calls per position are gone.
CK_AVX512 void ck_attention_scores_f16_avx512(const float *q, const void *keys, int stride, int count, int head_dim,
                                              float scale, float *scores) {
    const uint16_t *k = (const uint16_t *)keys;
    for (int t = 0; t < count; t++) {
        const uint16_t *row = k + (size_t)t * stride;
        __m512 acc = _mm512_setzero_ps();
        for (int i = 0; i < head_dim; i += 16) {
            acc = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(row + i))),
                                  _mm512_loadu_ps(q + i), acc);
        }
        __m256 high = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(acc), 1));
        __m256 halves = _mm256_add_ps(_mm512_castps512_ps256(acc), high);
        scores[t] = ck_sum8(halves) * scale;
    }
}

// The values of 16 lanes at `i` of row t, as Floats.
CK_AVX512 static inline __m512 ck_half_row16(const uint16_t *v, size_t t, int stride, int i) {
    return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(v + t * (size_t)stride + i)));
}

CK_AVX512 void ck_attention_values_f16_avx512(const float *weights, const void *values, int stride, int count,
                                              int head_dim, float *out) {
    const uint16_t *v = (const uint16_t *)values;
    if (head_dim == 64) {
        // Four independent chains, one per 16 lanes, all in registers: each waits only on itself.
        __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
        __m512 acc2 = _mm512_setzero_ps(), acc3 = _mm512_setzero_ps();
        for (int t = 0; t < count; t++) {
            __m512 w = _mm512_set1_ps(weights[t]);
            acc0 = _mm512_fmadd_ps(w, ck_half_row16(v, t, stride, 0), acc0);
            acc1 = _mm512_fmadd_ps(w, ck_half_row16(v, t, stride, 16), acc1);
            acc2 = _mm512_fmadd_ps(w, ck_half_row16(v, t, stride, 32), acc2);
            acc3 = _mm512_fmadd_ps(w, ck_half_row16(v, t, stride, 48), acc3);
        }
        _mm512_storeu_ps(out, acc0);
        _mm512_storeu_ps(out + 16, acc1);
        _mm512_storeu_ps(out + 32, acc2);
        _mm512_storeu_ps(out + 48, acc3);
        return;
    }
    for (int i = 0; i < head_dim; i += 16) {
        __m512 acc = _mm512_setzero_ps();
        for (int t = 0; t < count; t++) {
            acc = _mm512_fmadd_ps(_mm512_set1_ps(weights[t]), ck_half_row16(v, t, stride, i), acc);
        }
        _mm512_storeu_ps(out + i, acc);
    }
}

#else

int ck_cpu_has_avx2(void) { return 0; }
void ck_attention_scores_f16_avx512(const float *q, const void *keys, int stride, int count, int head_dim,
                                    float scale, float *scores) {}
void ck_attention_values_f16_avx512(const float *weights, const void *values, int stride, int count, int head_dim,
                                    float *out) {}
float ck_dot_q8_0_avx512(const void *row, const int8_t *values, const float *scale_sum_pairs, int block_count) {
    return 0;
}
int ck_cpu_has_avx512_vnni(void) { return 0; }
void ck_axpy_f16_avx2(float *y, float a, const void *x, int count) {}
void ck_floats_to_halves_avx2(const float *x, void *out, int count) {}
void ck_halves_to_floats_avx2(const void *h, float *out, int count) {}
float ck_dot_q8_0_avx2(const void *row, const int8_t *values, const float *scales, int block_count) { return 0; }
float ck_dot_q4_0_avx2(const void *row, const int8_t *values, const float *scales, const float *scaled_sums,
                       int block_count) { return 0; }
float ck_dot_q4_1_avx2(const void *row, const int8_t *values, const float *scales, const float *scaled_sums,
                       int block_count) { return 0; }
float ck_dot_q4_K_avx2(const void *row, const int8_t *values, const float *scales, const int32_t *sums,
                       int block_count) { return 0; }
float ck_dot_q6_K_avx2(const void *row, const int8_t *values, const float *scales, int block_count) { return 0; }
float ck_dot_f16_avx2(const void *row, const float *x, int count) { return 0; }

void ck_attention_online_f16_avx2(const float *q, const void *keys, const void *values, int stride, int count,
                                  int head_dim, float scale, void *accumulator, float *out) {}

void ck_dot_q4_1_rows2_avx512(const void *row0, const void *row1, const int8_t *values, const float *scales,
                              const float *scaled_sums, int block_count, float *out) {}
void ck_q4_1_tile4x4_avx512(const void *row0, long row_bytes, const int8_t *values, const float *scales,
                            const float *scaled_sums, int cols, int block_count, float *out, int out_stride) {}
void ck_dot_q4_1_rows4_avx512(const void *row0, long row_bytes, const int8_t *values, const float *scales,
                              const float *scaled_sums, int block_count, float *out) {}

#endif
