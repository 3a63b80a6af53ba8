package io.distkit.spring.boot.aop;

import java.io.Closeable;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.aop.Advice;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Advisor;
import org.springframework.aop.Pointcut;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.ProxyConfig;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.Aware;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.OrderUtils;
import org.springframework.util.ClassUtils;

import io.distkit.spring.boot.annotation.Counted;
import io.distkit.spring.boot.annotation.RateLimited;

/**
 * Adds the {@link RateLimitedInterceptor} and {@link CountedInterceptor} advisors (a pointcut matching the annotated
 * methods, and the interceptor) to every bean with annotated methods, after checking each of its annotations (a
 * broken one fails the bean's creation, and so start-up).
 *
 * <p>A bean another post-processor already proxied (auto-proxying of {@code @Transactional}, {@code @Cacheable},
 * method security; {@code @Retryable}, {@code @Async}) gets the advisors inserted into its proxy where their orders
 * place them: just inside the innermost advisor of a lower order (an advisor without an order counts as the lowest
 * precedence). Among equal orders the rate-limiting advisor goes outside and the counting advisor inside, so by
 * default rate limiting runs outside {@code @Transactional} and {@code @Retryable} and counting innermost. To see
 * every other advisor, this post-processor deliberately has no order, so it runs after all ordered ones. Any other bean is wrapped in a new proxy (of its class, unless
 * {@code spring.aop.proxy-target-class=false} and it has interfaces). Only Spring AOP is used: no AspectJ weaver.
 *
 * @since 0.1.0
 */
@SuppressWarnings("serial")
public final class DistkitAnnotationPostProcessor extends ProxyConfig
		implements BeanPostProcessor, BeanClassLoaderAware, BeanFactoryAware {

	private final ObjectProvider<RateLimitedInterceptor> rateLimited;

	private final ObjectProvider<CountedInterceptor> counted;

	private final Set<Class<?>> withoutAnnotations = ConcurrentHashMap.newKeySet();

	private final Map<AnnotationInterceptor, Advisor> advisors = new ConcurrentHashMap<>();

	private transient @Nullable ClassLoader classLoader = ClassUtils.getDefaultClassLoader();

	private transient @Nullable ConfigurableListableBeanFactory beanFactory;

	/**
	 * Creates the post-processor.
	 * @param rateLimited the rate-limiting interceptor, unless {@code @RateLimited} is disabled
	 * @param counted the counting interceptor, unless {@code @Counted} is disabled
	 * @param proxyTargetClass whether new proxies subclass the bean's class even when it has interfaces
	 */
	public DistkitAnnotationPostProcessor(ObjectProvider<RateLimitedInterceptor> rateLimited,
			ObjectProvider<CountedInterceptor> counted, boolean proxyTargetClass) {
		this.rateLimited = rateLimited;
		this.counted = counted;
		setProxyTargetClass(proxyTargetClass);
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (beanFactory instanceof ConfigurableListableBeanFactory listable) ? listable : null;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean instanceof AopInfrastructureBean || bean instanceof Advice || bean instanceof Advisor
				|| bean instanceof Pointcut) {
			return bean;
		}
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.withoutAnnotations.contains(targetClass)) {
			return bean;
		}
		List<Advisor> found = new ArrayList<>(2);
		if (AnnotatedMethods.hasAny(targetClass, RateLimited.class, RateLimited.List.class)) {
			add(found, this.rateLimited.getIfAvailable(), targetClass);
		}
		if (AnnotatedMethods.hasAny(targetClass, Counted.class, Counted.List.class)) {
			add(found, this.counted.getIfAvailable(), targetClass);
		}
		if (found.isEmpty()) {
			this.withoutAnnotations.add(targetClass);
			return bean;
		}
		if (bean instanceof Advised advised && !advised.isFrozen() && AopUtils.isAopProxy(bean)) {
			for (Advisor advisor : found) {
				insert(advised, advisor);
			}
			return bean;
		}
		return proxy(bean, beanName, targetClass, found);
	}

	private void add(List<Advisor> found, @Nullable AnnotationInterceptor interceptor, Class<?> targetClass) {
		if (interceptor != null && interceptor.validate(targetClass)) {
			found.add(this.advisors.computeIfAbsent(interceptor, DistkitAnnotationPostProcessor::advisor));
		}
	}

	private static Advisor advisor(AnnotationInterceptor interceptor) {
		DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(new StaticMethodMatcherPointcut() {

			@Override
			public boolean matches(Method method, Class<?> targetClass) {
				return interceptor.matches(method, targetClass);
			}

		}, interceptor);
		advisor.setOrder(interceptor.getOrder());
		return advisor;
	}

	private static void insert(Advised advised, Advisor advisor) {
		AnnotationInterceptor interceptor = (AnnotationInterceptor) advisor.getAdvice();
		int order = interceptor.getOrder();
		Advisor[] existing = advised.getAdvisors();
		int position = 0;
		for (int i = existing.length - 1; i >= 0; i--) {
			int other = order(existing[i]);
			if (other < order || (other == order && !interceptor.outsideOfEqualOrder())) {
				position = i + 1;
				break;
			}
		}
		advised.addAdvisor(position, advisor);
	}

	private static int order(Advisor advisor) {
		return (advisor instanceof Ordered ordered) ? ordered.getOrder()
				: OrderUtils.getOrder(advisor.getClass(), Ordered.LOWEST_PRECEDENCE);
	}

	private Object proxy(Object bean, String beanName, Class<?> targetClass, List<Advisor> found) {
		ProxyFactory factory = new ProxyFactory();
		factory.copyFrom(this);
		factory.setTarget(bean);
		if (this.beanFactory != null) {
			if (this.beanFactory.containsBeanDefinition(beanName)) {
				this.beanFactory.getMergedBeanDefinition(beanName)
					.setAttribute(AutoProxyUtils.ORIGINAL_TARGET_CLASS_ATTRIBUTE, targetClass);
			}
			if (!factory.isProxyTargetClass() && AutoProxyUtils.shouldProxyTargetClass(this.beanFactory, beanName)) {
				factory.setProxyTargetClass(true);
			}
		}
		if (!factory.isProxyTargetClass()) {
			List<Class<?>> interfaces = new ArrayList<>();
			for (Class<?> candidate : ClassUtils.getAllInterfacesForClass(targetClass, this.classLoader)) {
				if (candidate.getMethods().length > 0 && !isCallbackInterface(candidate)) {
					interfaces.add(candidate);
				}
			}
			if (interfaces.isEmpty()) {
				factory.setProxyTargetClass(true);
			}
			else {
				interfaces.forEach(factory::addInterface);
			}
		}
		found.stream()
			.sorted(Comparator.comparingInt(DistkitAnnotationPostProcessor::order))
			.forEach(factory::addAdvisor);
		ClassLoader classLoader = bean.getClass().getClassLoader();
		return factory.getProxy((classLoader != null) ? classLoader : this.classLoader);
	}

	private static boolean isCallbackInterface(Class<?> type) {
		return Aware.class.isAssignableFrom(type) || InitializingBean.class == type || DisposableBean.class == type
				|| AutoCloseable.class == type || Closeable.class == type
				|| type.getName().startsWith("groovy.lang.") || type.getName().startsWith("kotlin.");
	}

}
