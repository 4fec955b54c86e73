// Runs llama.cpp's own SiLU (ggml_silu on the CPU backend, the build's native vector code) over values read from
// stdin, to test our SiLU against it bit for bit.
//
//   silu-values < INPUTS > OUTPUT
//
// INPUTS: one decimal Float a line. All of them form ONE row of one tensor, so ggml's vector loop covers the first
// count - count % lanes values and its scalar loop (the C library's expf) the rest, as in a feed-forward row.
// OUTPUT: `x <TAB> silu(x)` a line, both `%.9g` (Float32 exactly), in input order. One thread.
#include "ggml-cpu.h"
#include "ggml.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

int main() {
    std::vector<float> inputs;
    char line[128];
    int number = 0;
    while (std::fgets(line, sizeof(line), stdin)) {
        number++;
        char * end = nullptr;
        const float value = std::strtof(line, &end);
        if (end == line || (*end != '\n' && *end != '\0')) {
            std::fprintf(stderr, "silu-values: stdin:%d: expected one decimal number, found '%s'\n", number, line);
            return 1;
        }
        inputs.push_back(value);
    }
    if (inputs.empty()) {
        std::fprintf(stderr, "silu-values: stdin: expected at least one number, found none\n");
        return 1;
    }

    const size_t bytes = 4 * inputs.size() * sizeof(float) + 4 * ggml_tensor_overhead() + ggml_graph_overhead();
    ggml_init_params params = {bytes, nullptr, false};
    ggml_context * ctx = ggml_init(params);
    ggml_tensor * x = ggml_new_tensor_1d(ctx, GGML_TYPE_F32, (int64_t) inputs.size());
    std::memcpy(x->data, inputs.data(), inputs.size() * sizeof(float));
    ggml_tensor * y = ggml_silu(ctx, x);
    ggml_cgraph * graph = ggml_new_graph(ctx);
    ggml_build_forward_expand(graph, y);
    if (ggml_graph_compute_with_ctx(ctx, graph, 1) != GGML_STATUS_SUCCESS) {
        std::fprintf(stderr, "silu-values: ggml_graph_compute_with_ctx failed\n");
        return 1;
    }
    const float * out = static_cast<const float *>(y->data);
    for (size_t i = 0; i < inputs.size(); i++) std::printf("%.9g\t%.9g\n", inputs[i], out[i]);
    ggml_free(ctx);
    return 0;
}
