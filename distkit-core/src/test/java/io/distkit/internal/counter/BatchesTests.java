package io.distkit.internal.counter;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.distkit.BatchPartiallyAppliedException;
import io.distkit.DistkitBackendException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BatchesTests {

	private final List<Integer> items = IntStream.range(0, 10).boxed().toList();

	@Test
	void inChunks_concatenatesInOrder() {
		List<List<Integer>> calls = new ArrayList<>();
		List<Integer> results = Batches.inChunks(this.items, 4, (chunk) -> {
			calls.add(chunk);
			return chunk.stream().map((i) -> i * 10).toList();
		});
		assertThat(calls).containsExactly(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(8, 9));
		assertThat(results).containsExactly(0, 10, 20, 30, 40, 50, 60, 70, 80, 90);
	}

	@Test
	void inChunks_failureOfLaterChunkNamesAppliedAndUnknownItems() {
		assertThatExceptionOfType(BatchPartiallyAppliedException.class)
			.isThrownBy(() -> Batches.inChunks(this.items, 4, (chunk) -> {
				if (chunk.get(0) == 4) {
					throw new DistkitBackendException("Redis unavailable");
				}
				return chunk;
			}))
			.withMessage("Batch partly applied: items [0, 4) applied, outcome of items [4, 8) unknown, items [8, 10) "
					+ "not sent: Redis unavailable")
			.satisfies((ex) -> {
				assertThat(ex.getAppliedItems()).isEqualTo(4);
				assertThat(ex.getUnknownItemsEnd()).isEqualTo(8);
				assertThat(ex.getTotalItems()).isEqualTo(10);
			});
	}

	@Test
	void inChunks_failureOfFirstChunkIsThrownAsIs() {
		DistkitBackendException failure = new DistkitBackendException("Redis unavailable");
		assertThatExceptionOfType(DistkitBackendException.class).isThrownBy(() -> Batches.inChunks(this.items, 4, (chunk) -> {
			throw failure;
		})).isSameAs(failure);
	}

}
