; Unsolvable: d has no incoming edge, so it stays isolated and serving
; always raises the alarm.
(define (problem network-p3) (:domain network)
  (:objects a t d - node)
  (:init (edge src a) (edge a t) (edge d a))
  (:goal (and (served t) (not (alarm)))))
