package io.distkit.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.distkit.InvalidOptionException;
import io.distkit.ratelimit.RateLimit;
import io.distkit.ratelimit.RateLimiter;

/**
 * Maps {@code distkit.rate-limit.*} to a {@link RateLimiter.Builder}: the defaults, then each named limit over them.
 * A rejected value becomes an {@link InvalidDistkitPropertyException} naming the property that holds it.
 */
final class RateLimitPropertiesMapper {

	private static final String PREFIX = "distkit.rate-limit";

	private final DistkitProperties.RateLimit properties;

	RateLimitPropertiesMapper(DistkitProperties.RateLimit properties) {
		this.properties = properties;
	}

	void configure(RateLimiter.Builder builder) {
		DistkitProperties.RateLimit p = this.properties;
		DistkitPropertiesMapper.property(PREFIX + ".window", p.getWindow(), () -> builder.defaultWindow(p.getWindow()));
		DistkitPropertiesMapper.property(PREFIX + ".bucket", p.getBucket(), () -> builder.defaultBucket(p.getBucket()));
		DistkitPropertiesMapper.property(PREFIX + ".hard-limit-factor", p.getHardLimitFactor(),
				() -> builder.defaultHardLimitFactor(p.getHardLimitFactor().doubleValue()));
		DistkitPropertiesMapper.property(PREFIX + ".suppression-factor-cache", p.getSuppressionFactorCache(),
				() -> builder.defaultSuppressionFactorCache(p.getSuppressionFactorCache()));
		DistkitPropertiesMapper.property(PREFIX + ".sync-interval", p.getSyncInterval(),
				() -> builder.syncInterval(p.getSyncInterval()));
		DistkitPropertiesMapper.property(PREFIX + ".commit-queue-capacity", p.getCommitQueueCapacity(),
				() -> builder.commitQueueCapacity(p.getCommitQueueCapacity()));
		DistkitPropertiesMapper.property(PREFIX + ".max-keys", p.getMaxKeys(), () -> builder.maxKeys(p.getMaxKeys()));
		for (Map.Entry<String, DistkitProperties.Limit> entry : p.getLimits().entrySet()) {
			builder.limit(limit(entry.getKey(), entry.getValue()));
		}
	}

	/** The limit {@code name} from its properties over the defaults. */
	RateLimit limit(String name, DistkitProperties.Limit limit) {
		String base = PREFIX + ".limits." + name;
		if (!RateLimit.isValidName(name)) {
			throw new InvalidDistkitPropertyException(base, name, "the limit name must match [A-Za-z0-9._-]{1,64}");
		}
		if (limit.getCapacity() == null) {
			throw new InvalidDistkitPropertyException(base + ".capacity", null, "is required");
		}
		Duration window = or(limit.getWindow(), this.properties.getWindow());
		Duration bucket = or(limit.getBucket(), this.properties.getBucket());
		try {
			RateLimit.Builder builder = RateLimit.builder(name)
				.capacity(limit.getCapacity())
				.bucket(bucket)
				.window(window)
				.provider(or(limit.getProvider(), this.properties.getProvider()))
				.strategy(or(limit.getStrategy(), this.properties.getStrategy()))
				.hardLimitFactor(or(limit.getHardLimitFactor(), this.properties.getHardLimitFactor()))
				.suppressionFactorCache(or(limit.getSuppressionFactorCache(), this.properties.getSuppressionFactorCache()));
			return builder.build();
		}
		catch (InvalidOptionException ex) {
			String property = property(ex.getOption());
			boolean own = switch (property) {
				case "window" -> limit.getWindow() != null;
				case "bucket" -> limit.getBucket() != null;
				case "hard-limit-factor" -> limit.getHardLimitFactor() != null;
				case "suppression-factor-cache" -> limit.getSuppressionFactorCache() != null;
				default -> true;
			};
			throw new InvalidDistkitPropertyException((own ? base : PREFIX) + "." + property, ex.getValue(),
					ex.getRule());
		}
	}

	/**
	 * A builder of the inline limit {@code name} of a {@code @RateLimited} annotation, with the defaults of
	 * {@code distkit.rate-limit.*} (bucket, provider, strategy, hard-limit factor, suppression-factor cache).
	 */
	RateLimit.Builder inlineLimit(String name) {
		DistkitProperties.RateLimit p = this.properties;
		RateLimit.Builder builder = RateLimit.builder(name).provider(p.getProvider()).strategy(p.getStrategy());
		DistkitPropertiesMapper.property(PREFIX + ".bucket", p.getBucket(), () -> builder.bucket(p.getBucket()));
		DistkitPropertiesMapper.property(PREFIX + ".hard-limit-factor", p.getHardLimitFactor(),
				() -> builder.hardLimitFactor(p.getHardLimitFactor()));
		DistkitPropertiesMapper.property(PREFIX + ".suppression-factor-cache", p.getSuppressionFactorCache(),
				() -> builder.suppressionFactorCache(p.getSuppressionFactorCache()));
		return builder;
	}

	private static String property(String option) {
		return switch (option) {
			case "hardLimitFactor" -> "hard-limit-factor";
			case "suppressionFactorCache" -> "suppression-factor-cache";
			default -> option;
		};
	}

	private static <T> T or(T value, T fallback) {
		return (value != null) ? value : fallback;
	}

}
