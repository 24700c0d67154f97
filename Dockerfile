# Builds os-metrics from the repository and runs it on a JRE image (used by docker-compose.yml).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
# everything the build needs (src, db, sql-reports); .dockerignore keeps out target, data and secrets
COPY . .
RUN mvn -q -B package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --system --home /app os-metrics
WORKDIR /app
COPY --from=build /src/target/os-metrics.jar /app/os-metrics.jar
# the launcher: a bounded JVM (-Xmx512m, serial GC); JAVA_OPTS overrides
COPY --from=build /src/bin/os-metrics /app/bin/os-metrics
USER os-metrics
ENTRYPOINT ["/app/bin/os-metrics"]
CMD ["--help"]
