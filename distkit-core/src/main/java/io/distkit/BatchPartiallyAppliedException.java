package io.distkit;

/**
 * A batch larger than one chunk failed part-way: the items before {@link #getAppliedItems()} were applied, the chunk
 * {@code [appliedItems, unknownItemsEnd)} was sent and its outcome is unknown (it may or may not have run), and the
 * items from {@code unknownItemsEnd} on were not sent.
 *
 * <p>Thrown only when at least one earlier chunk was applied; a failure of the first chunk throws the underlying
 * {@link DistkitBackendException}.
 *
 * @since 0.1.0
 */
public class BatchPartiallyAppliedException extends DistkitBackendException {

	private static final long serialVersionUID = 1L;

	private final int appliedItems;

	private final int unknownItemsEnd;

	private final int totalItems;

	public BatchPartiallyAppliedException(int appliedItems, int unknownItemsEnd, int totalItems,
			DistkitBackendException cause) {
		super("Batch partly applied: items [0, " + appliedItems + ") applied, outcome of items [" + appliedItems + ", "
				+ unknownItemsEnd + ") unknown, items [" + unknownItemsEnd + ", " + totalItems + ") not sent: "
				+ cause.getMessage(), cause);
		this.appliedItems = appliedItems;
		this.unknownItemsEnd = unknownItemsEnd;
		this.totalItems = totalItems;
	}

	/** How many items at the start of the batch were applied. */
	public int getAppliedItems() {
		return this.appliedItems;
	}

	/** End (exclusive) of the chunk whose outcome is unknown; it starts at {@link #getAppliedItems()}. */
	public int getUnknownItemsEnd() {
		return this.unknownItemsEnd;
	}

	/** Size of the whole batch. */
	public int getTotalItems() {
		return this.totalItems;
	}

}
