package io.distkit.spring.boot.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code distkit.redis.url}, {@code distkit.redis.host} or {@code distkit.redis.cluster.nodes} is set. */
class OnDedicatedRedisCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		DistkitProperties.Redis redis = Binder.get(context.getEnvironment())
			.bind("distkit.redis", DistkitProperties.Redis.class)
			.orElseGet(DistkitProperties.Redis::new);
		return redis.isDedicated() ? ConditionOutcome.match("distkit.redis.* configures a dedicated connection")
				: ConditionOutcome.noMatch("no distkit.redis.url, host or cluster.nodes");
	}

}
