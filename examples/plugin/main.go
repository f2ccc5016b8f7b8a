// Command plugin is a complete toolsmith API plugin: the mock travel APIs of
// the demo (rental cars and weather), served over hashicorp/go-plugin.
//
//	go build -o bin/travel-plugin ./examples/plugin
//	toolsmith api add --plugin bin/travel-plugin
//	toolsmith chat            # the agent now calls the plugin
//
// The APIs are described in examples/travel/apis.yaml (embedded); the
// answers are computed here from the arguments.
package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"strings"

	"github.com/toolsmith-dev/toolsmith/agent/plugin"
	"github.com/toolsmith-dev/toolsmith/examples/travel"
	"github.com/toolsmith-dev/toolsmith/registry"
)

func main() {
	plugin.Serve(travelAPIs{})
}

type travelAPIs struct{}

// Describe reads the APIs from the travel example; the host binds them to
// this plugin.
func (travelAPIs) Describe() ([]registry.API, error) {
	data, err := fs.ReadFile(travel.Files, "apis.yaml")
	if err != nil {
		return nil, err
	}
	apis, err := registry.ParseAPIs("apis.yaml", data)
	if err != nil {
		return nil, err
	}
	for i := range apis {
		apis[i].Binding = nil
	}
	return apis, nil
}

// dailyRates are the mock prices per day by car type.
var dailyRates = map[string]float64{"economy": 62.5, "compact": 68, "suv": 95, "van": 110}

// Call computes the mock answers.
func (travelAPIs) Call(name string, args map[string]any) (map[string]any, error) {
	switch name {
	case "RentalCars.GetCarsAvailable":
		city := fmt.Sprint(args["pickup_city"])
		days, err := number(args["days"])
		if err != nil {
			return nil, fmt.Errorf("days: %w", err)
		}
		kind := "economy"
		if k, ok := args["car_type"].(string); ok && k != "" {
			kind = k
		}
		rate, ok := dailyRates[kind]
		if !ok {
			return nil, fmt.Errorf("car_type %q is not offered", kind)
		}
		prefix := strings.ToUpper(strings.ReplaceAll(city, " ", ""))
		if len(prefix) > 3 {
			prefix = prefix[:3]
		}
		id := fmt.Sprintf("%s-%s-42", prefix, strings.ToUpper(kind[:3]))
		price := rate * days
		return map[string]any{
			"car_id": id,
			"price":  price,
			"cars": []any{
				map[string]any{"car_id": id, "model": "Toyota Corolla", "price": price},
				map[string]any{"car_id": prefix + "-ALT-07", "model": "VW Golf", "price": price * 1.09},
			},
		}, nil
	case "RentalCars.ReserveCar":
		sum := sha256.Sum256([]byte(fmt.Sprint(args["car_id"], args["pickup_date"], args["pickup_time"], args["days"])))
		return map[string]any{"reservation_id": fmt.Sprintf("R-%x", sum[:3]), "car_id": args["car_id"]}, nil
	case "Weather.Forecast":
		return map[string]any{"forecast": fmt.Sprintf("sunny in %v on %v, 24°C", args["city"], args["date"])}, nil
	}
	return nil, fmt.Errorf("no API %q in this plugin", name)
}

func number(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case string:
		var f float64
		_, err := fmt.Sscan(x, &f)
		return f, err
	}
	return 0, fmt.Errorf("%v is not a number", v)
}
