#ifndef VOICETUTOR_CKERNELS_H
#define VOICETUTOR_CKERNELS_H
// CKernels: the innermost dot-product loops in x86 intrinsics, for the default (SSE2) build of the Swift package.
// Each function is compiled for AVX2 + FMA + F16C through a per-function target attribute, so the library needs no
// -march flag; Swift calls them only when ck_cpu_has_avx2() says the CPU has those features (the AVX-512 VNNI ones,
// for q4_1 and q8_0, only when ck_cpu_has_avx512_vnni() does). On other CPUs (ARM NEON boards) the functions return
// 0 and are never called: the Swift fast path in Kernels/DotProducts.swift is the portable fallback, and
// Kernels/Dequantize.swift the reference both are tested against.
//
// Arguments: `row` is one weight row of `block_count` ggml blocks; the activations come quantized in blocks of 32
// (values (block_count * 32) int8, scales (block_count) floats, scaled_sums (block_count) floats: each block's sum
// of int8 values times its scale).

#include <stdint.h>

/// Tells the CPU this thread is spinning on a flag (x86 `pause`, ARM `yield`), so the waiting costs less.
static inline void ck_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#endif
}

/// 1 when this CPU runs the AVX2 functions below (AVX2, FMA and F16C), else 0.
int ck_cpu_has_avx2(void);

/// One q8_0 row (34-byte blocks) against Q8 activations.
float ck_dot_q8_0_avx2(const void *row, const int8_t *values, const float *scales, int block_count);

/// One q4_0 row (18-byte blocks) against Q8 activations.
float ck_dot_q4_0_avx2(const void *row, const int8_t *values, const float *scales, const float *scaled_sums,
                       int block_count);

/// One q4_1 row (20-byte blocks) against Q8 activations.
float ck_dot_q4_1_avx2(const void *row, const int8_t *values, const float *scales, const float *scaled_sums,
                       int block_count);

/// One q4_K row (144-byte blocks of 256) against Q8_K-style activations: values (block_count * 256) int8, scales
/// (block_count) floats, sums (block_count * 8) int32 sums of every 32 int8 values.
float ck_dot_q4_K_avx2(const void *row, const int8_t *values, const float *scales, const int32_t *sums,
                       int block_count);

/// One q6_K row (210-byte blocks of 256) against Q8_K-style activations (values, scales as for q4_K).
float ck_dot_q6_K_avx2(const void *row, const int8_t *values, const float *scales, int block_count);

/// One f16 row of `count` values against Float activations `x`.
float ck_dot_f16_avx2(const void *row, const float *x, int count);

/// 1 when this CPU runs the AVX-512 functions below (AVX-512 F, BW, VL and VNNI, with the AVX2 set), else 0.
int ck_cpu_has_avx512_vnni(void);

/// One q8_0 row (34-byte blocks) against Q8 activations, four blocks per AVX-512 step: `scale_sum_pairs` holds
/// (block_count) pairs (scale, scaled sum) interleaved.
float ck_dot_q8_0_avx512(const void *row, const int8_t *values, const float *scale_sum_pairs, int block_count);

/// Two q4_1 rows (20-byte blocks) against Q8 activations in one pass, AVX-512 VNNI: out[0] and out[1] equal
/// ck_dot_q4_1_avx2 on row0 and row1 bit for bit.
void ck_dot_q4_1_rows2_avx512(const void *row0, const void *row1, const int8_t *values, const float *scales,
                              const float *scaled_sums, int block_count, float *out);

/// Four consecutive q4_1 rows (row0, then every row_bytes) against Q8 activations in one pass, AVX-512 VNNI: out[r]
/// equals ck_dot_q4_1_avx2 on row r bit for bit.
void ck_dot_q4_1_rows4_avx512(const void *row0, long row_bytes, const int8_t *values, const float *scales,
                              const float *scaled_sums, int block_count, float *out);

/// Four consecutive q4_1 rows against four consecutive tokens' Q8_1 activations (`values` (4, cols), `scales` and
/// `scaled_sums` (4, block_count)), AVX-512 VNNI: out[t * out_stride + r] equals ck_dot_q4_1_avx2 on row r and
/// token t bit for bit.
void ck_q4_1_tile4x4_avx512(const void *row0, long row_bytes, const int8_t *values, const float *scales,
                            const float *scaled_sums, int cols, int block_count, float *out, int out_stride);

/// One attention head's scores over an f16 key cache, AVX-512: scores[t] = scale * Σ q[i] keys[t * stride + i] for
/// t < count; head_dim a multiple of 16.
void ck_attention_scores_f16_avx512(const float *q, const void *keys, int stride, int count, int head_dim,
                                    float scale, float *scores);

/// One attention head's output over an f16 value cache, AVX-512: out[i] = Σ_t weights[t] values[t * stride + i]
/// for i < head_dim (a multiple of 16), the sums kept in registers across all positions.
void ck_attention_values_f16_avx512(const float *weights, const void *values, int stride, int count, int head_dim,
                                    float *out);

/// y += a * x for `count` f16 values x (an f16 KV cache's value rows) and Floats y.
void ck_axpy_f16_avx2(float *y, float a, const void *x, int count);

/// Converts `count` Floats to f16 bit patterns, rounding to nearest even.
void ck_floats_to_halves_avx2(const float *x, void *out, int count);

/// Converts `count` f16 bit patterns to Floats (exact: every half is a Float).
void ck_halves_to_floats_avx2(const void *h, float *out, int count);

/// One attention head over an f16 KV cache as llama.cpp's CPU flash attention computes one query row: the query
/// rounded to f16, one pass over positions 0..<count with a running maximum (online softmax), the weighted values
/// summed in an f16 accumulator rounded after every position, divided by the weights' sum at the end; the scores
/// summed in ggml's order. `accumulator` is scratch of 2 * head_dim halves; head_dim a multiple of 8. AVX2 + F16C.
void ck_attention_online_f16_avx2(const float *q, const void *keys, const void *values, int stride, int count,
                                  int head_dim, float scale, void *accumulator, float *out);

/// 1 when this CPU runs ck_silu_avx512 (AVX-512 F and DQ: the condition ggml compiles its AVX-512 SiLU under).
int ck_cpu_has_avx512_dq(void);

/// 1 when this CPU runs ck_silu_avx2 (AVX2 and FMA).
int ck_cpu_has_avx2_fma(void);

/// SiLU in place over one row of `count` Floats as ggml's AVX-512 build computes it: 16 at a time with its
/// vscalefps exp, the last count % 16 with the C library's expf (SiLU.c says more).
void ck_silu_avx512(float *x, int count);

/// Softmax in place over one row with ggml's AVX-512 exp (SiLU.c); needs ck_cpu_has_avx512_dq.
void ck_softmax_avx512(float *x, int count);

/// Exact-form GELU, x/2 (1 + erf(x / √2)), in place, AVX-512 (an erfc fit with relative error below 1.2e-7, and
/// ggml's exp); needs ck_cpu_has_avx512_dq.
void ck_gelu_avx512(float *x, int count);

/// SiLU in place over one row as ggml's AVX2 + FMA build computes it: 8 at a time, the last count % 8 with expf.
void ck_silu_avx2(float *x, int count);

#endif
