// The exact integer Gram kernel behind ImageDataset's CovarianceAccumulator (issue 15):
// Σ_n x_i·x_j over a block of uint8 rows with AVX-512 VNNI (`vpdpbusd`, u8 × s8 → int32).
//
// The NumPy equivalent of one block is `X.T.astype(np.int64) @ X` (upper triangle only).
//
// Each product is computed as x_i · (x_j − 128) (the second factor as int8: x_j XOR 0x80),
// summed in int32 lanes, then corrected to raw sums in int64:
//   Σ x_i·x_j = Σ x_i·(x_j − 128) + 128·Σ x_i.
// |x_i·(x_j − 128)| ≤ 255·128 = 32640, so an int32 lane cannot overflow while a block has at
// most INTEGER_GRAM_MAXIMUM_ROWS = 65536 rows (65536·32640 = 2,139,095,040 < 2^31 − 1).
// Integer sums: the result does not depend on the tiling or on how panels are spread over
// threads.
#ifndef C_INTEGER_GRAM_H
#define C_INTEGER_GRAM_H

#include <stddef.h>
#include <stdint.h>

/// The most rows one packed block may hold (the int32 bound above).
#define INTEGER_GRAM_MAXIMUM_ROWS 65536

/// 1 when this CPU runs the VNNI kernel (AVX-512 F, BW and VNNI), else 0.
int integer_gram_available(void);

/// The columns of one panel: the unit of work of integer_gram_add_panel.
int64_t integer_gram_panel_width(void);

/// How many panels cover `dimension` columns.
int64_t integer_gram_panel_count(int64_t dimension);

/// The bytes of a packed block of `rows` rows of `dimension` values (integer_gram_pack_groups).
size_t integer_gram_packed_bytes(int64_t rows, int64_t dimension);

/// Packs the groups of 4 rows [first_group, end_group) of `rows` (1 ≤ rows ≤
/// INTEGER_GRAM_MAXIMUM_ROWS) row-major rows of `dimension` uint8 values into `packed`
/// (integer_gram_packed_bytes(rows, dimension) of them, laid out for all `rows`): per panel of
/// columns, per group of 4 rows, per column, the 4 rows' bytes (the layout `vpdpbusd`
/// multiplies), zero-padded to whole groups and panels. Adds each column's Σ x over those
/// rows to `column_sums` (`dimension` int64). Disjoint ranges may be packed on different
/// threads at once, each with its own `column_sums`; all groups, 0 to (rows + 3) / 4, make
/// the block.
void integer_gram_pack_groups(const uint8_t *values, int64_t rows, int64_t dimension, uint8_t *packed,
                              int64_t *column_sums, int64_t first_group, int64_t end_group);

/// Adds Σ x_i·x_j over the packed rows to `products[i·dimension + j]` for the columns j of
/// panel `panel` and every i ≤ j (the upper triangle; nothing else is written).
/// `column_sums` holds Σ x of this block only (what integer_gram_pack_groups added to zeros).
/// Panels write disjoint entries, so they may run on different threads at once.
/// Requires integer_gram_available().
void integer_gram_add_panel(const uint8_t *packed, int64_t rows, int64_t dimension, int64_t panel,
                            const int64_t *column_sums, int64_t *products);

#endif
