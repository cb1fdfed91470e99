# One image per module (gateway, effects), for those who build with Docker (Jib builds the same without a daemon, see README):
#   docker build --build-arg FUNCTION=effects -t imageflow/effects:0.1.0 .   (and FUNCTION=gateway)
FROM eclipse-temurin:17-jdk AS build
ARG FUNCTION=gateway
WORKDIR /src
COPY . .
RUN ./mvnw -q -B -ntp -pl functions/${FUNCTION} -am package -DskipTests \
 && cp functions/${FUNCTION}/target/imageflow-${FUNCTION}-*-exec.jar /app.jar

FROM eclipse-temurin:25-jre
# libjpeg-turbo, which the functions call through FFM for JPEG (ImageIO is the fallback without it).
RUN apt-get update && apt-get install -y --no-install-recommends libturbojpeg && rm -rf /var/lib/apt/lists/*
COPY --from=build /app.jar /app/app.jar
# Not root: a function needs no privileges.
USER 1000:1000
EXPOSE 8080
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# The bean definitions Spring AOT generated at build time (process-aot), as in the Jib images.
ENTRYPOINT ["java", "-Dspring.aot.enabled=true", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/app.jar"]
