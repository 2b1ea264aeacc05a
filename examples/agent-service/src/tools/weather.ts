import { between, pick } from '../random.js';
import { requireArgument, type Tool } from './tool.js';

const CITIES = ['Lisbon', 'Berlin', 'Paris', 'Tokyo', 'Nairobi', 'Montreal', 'Sydney', 'Lima'] as const;
const CONDITIONS = ['clear', 'partly cloudy', 'overcast', 'light rain', 'showers', 'windy', 'foggy'] as const;
const ASKS_WEATHER = /\b(weather|temperature|forecast|rain|sunny|umbrella|cold|hot)\b/i;

/** A simulated weather service: made-up but plausible conditions for a city. */
export const getWeather: Tool = {
  name: 'get_weather',
  description: 'Current weather for a city.',
  medianLatencyMs: 180,
  failureRate: 0.03,
  matches: (text) => ASKS_WEATHER.test(text),
  argumentsFor(text, random) {
    const lower = text.toLowerCase();
    const named = CITIES.find((city) => lower.includes(city.toLowerCase()));
    return { city: named ?? pick(random, CITIES) };
  },
  run(args, random) {
    const city = requireArgument(args, 'city');
    const temperature = between(random, -5, 34);
    const wind = between(random, 0, 45);
    return `${city}: ${temperature}°C, ${pick(random, CONDITIONS)}, wind ${wind} km/h`;
  },
};
